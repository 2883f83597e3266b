/**
 * Charts on the overview page, where a reader would rather look than read: the slowest handlers by p95
 * handler time and the sequences that ran most. Inline SVG (bar-chart.ts); empty string when there is
 * nothing to draw.
 */
import type { FlowReport } from '../../analyses/flow-types.js';
import type { HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import { formatCount, formatMs } from '../html-layout.js';
import { horizontalBarSvg } from './bar-chart.js';

const BARS = 10;

export function overviewChartsHtml(heatmap?: HandlerPerformanceReport, flows?: FlowReport): string {
  const charts: string[] = [];
  const slow = (heatmap?.handlers ?? [])
    .filter((h) => h.timing.p95 !== null)
    .sort((a, b) => b.timing.p95! - a.timing.p95!)
    .slice(0, BARS);
  if (slow.length > 0) {
    const svg = horizontalBarSvg({
      labels: slow.map((h) => h.name),
      values: slow.map((h) => h.timing.p95!),
      format: formatMs,
      color: '#c2410c',
    });
    charts.push(
      `<figure class="chart" id="chart-slowest"><figcaption>Slowest handlers, p95 handler time</figcaption>${svg}</figure>`,
    );
  }
  const runs = [...(flows?.sequences ?? [])]
    .filter((s) => s.runs > 0)
    .sort((a, b) => b.runs - a.runs)
    .slice(0, BARS);
  if (runs.length > 0) {
    const svg = horizontalBarSvg({
      labels: runs.map((s) => s.sequenceName),
      values: runs.map((s) => s.runs),
      format: (v) => formatCount(Math.round(v)),
    });
    charts.push(`<figure class="chart" id="chart-runs"><figcaption>Runs per sequence</figcaption>${svg}</figure>`);
  }
  if (charts.length === 0) return '';
  return `<section class="panel overview-charts"><div class="grid2">${charts.join('')}</div></section>
<style>.overview-charts figure{margin:0}.overview-charts figcaption{font-weight:600;font-size:13px;margin-bottom:4px}</style>`;
}
