/**
 * Charts on the overview page, where a reader would rather look than read; each report's card carries its own.
 * Inline SVG (bar-chart.ts).
 */
import type { FlowReport } from '../../analyses/flow-types.js';
import { handlersByTiming } from '../../analyses/handler-performance.js';
import type { HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import { formatCount, formatMs } from '../html-layout.js';
import { horizontalBarSvg } from './bar-chart.js';

const BARS = 10;

/** The heatmap's overview chart: the slowest handlers by p95 handler time ('' when none was timed). */
export function slowestHandlersChart(heatmap: HandlerPerformanceReport): string {
  // The report lists handlers slowest first (p95 handler time); the timed ones are those with a p95.
  const slow = handlersByTiming(heatmap.handlers).timed.slice(0, BARS);
  if (slow.length === 0) return '';
  // A name several plugins define (`notifyUi`) is told apart by its plugin.
  const shared = new Set(slow.filter((h, i) => slow.findIndex((o) => o.name === h.name) !== i).map((h) => h.name));
  const svg = horizontalBarSvg({
    labels: slow.map((h) => (shared.has(h.name) && h.plugin ? `${h.name} (${h.plugin})` : h.name)),
    values: slow.map((h) => h.timing.p95 ?? 0),
    format: formatMs,
    color: '#c2410c',
  });
  return figure('chart-slowest', 'Slowest handlers, p95 handler time', svg);
}

/** The flow validator's overview chart: the sequences that ran most ('' when none ran). */
export function runsPerSequenceChart(flows: FlowReport): string {
  const runs = flows.sequences
    .filter((s) => s.runs > 0)
    .sort((a, b) => b.runs - a.runs)
    .slice(0, BARS);
  if (runs.length === 0) return '';
  const svg = horizontalBarSvg({
    labels: runs.map((s) => s.sequenceName),
    values: runs.map((s) => s.runs),
    format: (v) => formatCount(Math.round(v)),
  });
  return figure('chart-runs', 'Runs per sequence', svg);
}

/** `svg` is trusted (echarts encodes its text); the caption is ours. */
function figure(id: string, caption: string, svg: string): string {
  return `<figure class="chart" id="${id}"><figcaption>${caption}</figcaption>${svg}</figure>`;
}
