/**
 * One handler's latency charts on the heatmap page, as inline SVG rendered server-side by echarts (the path of
 * bar-chart.ts: SVG renderer, `ssr: true`, no script): its handler-time histogram on the report's log-spaced
 * bins, and its p95 handler time per session in start-time order. Inputs are the report's own fields
 * (`histogram`, `p95BySession`), never raw durations. The only log text is in captions outside the SVG.
 */
import type { SessionP95 } from '../../analyses/handler-distributions.js';
import { binEdgeMs, type LatencyBin, latencyBin } from '../../analyses/latency-histogram.js';
import { formatMs } from '../html-layout.js';
import { type ChartOption, svgChart } from './svg-chart.js';

/**
 * px of the SVG's own coordinate space. The page shows it at most this wide and shrinks it to a narrower
 * column: small enough that on a 390 px phone its 12 px text still reads at about 9 px.
 */
export const CHART_WIDTH = 440;
const HEIGHT = 240;
const AXIS = { fontSize: 12, color: '#52606d' };
const SPLIT = { lineStyle: { color: '#edf0f3' } };

const render = (option: ChartOption): string => svgChart(option, CHART_WIDTH, HEIGHT);

/** A bin's range in ms, e.g. `4–6`, `1024–1536` (all edges are whole ms). */
function binLabel(b: LatencyBin): string {
  return `${b.fromMs}–${b.toMs}`;
}

const HIST_GRID = { left: 48, right: 32, top: 28, bottom: 58 };

/** Bins drawn at least: a handler whose runs all fall in one or two bins still shows where they sit. */
const MIN_BINS = 8;

/**
 * `bins` widened with empty ladder bins, alternately below (never under 0 ms) and above, to MIN_BINS: only
 * what is drawn, the report keeps its own range.
 */
export function paddedBins(bins: readonly LatencyBin[]): LatencyBin[] {
  if (bins.length === 0 || bins.length >= MIN_BINS) return [...bins];
  let lo = latencyBin(bins[0]!.fromMs);
  let hi = latencyBin(bins.at(-1)!.fromMs);
  while (hi - lo + 1 < MIN_BINS) {
    if (lo > 0 && (hi - lo) % 2 === 1) lo--;
    else hi++;
  }
  const byFrom = new Map(bins.map((b) => [b.fromMs, b.count]));
  const out: LatencyBin[] = [];
  for (let b = lo; b <= hi; b++)
    out.push({ fromMs: binEdgeMs(b), toMs: binEdgeMs(b + 1), count: byFrom.get(binEdgeMs(b)) ?? 0 });
  return out;
}

/**
 * Bars of runs per bin, bins left to right from fast to slow (equal widths on screen: the bins are log-spaced,
 * so this is a log-scale time axis). `p95Ms` marks the bin holding the handler's overall p95.
 */
export function latencyHistogramSvg(reported: readonly LatencyBin[], p95Ms: number | null): string {
  const bins = paddedBins(reported);
  // Slant the range labels when they would not fit side by side with a gap (about 7.5 px a character at 12 px):
  // upright, echarts would hide every other one.
  const perBinPx = (CHART_WIDTH - HIST_GRID.left - HIST_GRID.right) / Math.max(1, bins.length);
  const slant = Math.max(0, ...bins.map((b) => binLabel(b).length * 7.5 + 8)) > perBinPx;
  const p95Bin = p95Ms === null ? -1 : bins.findIndex((b) => p95Ms >= b.fromMs && p95Ms < b.toMs);
  return render({
    grid: HIST_GRID,
    xAxis: {
      type: 'category',
      data: bins.map(binLabel),
      name: 'handler time, ms (log-spaced bins)',
      nameLocation: 'middle',
      nameGap: 40,
      nameTextStyle: AXIS,
      axisLabel: { ...AXIS, rotate: slant ? 35 : 0, interval: 0, hideOverlap: true },
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      name: 'runs',
      nameTextStyle: AXIS,
      axisLabel: AXIS,
      splitLine: SPLIT,
    },
    series: [
      {
        type: 'bar',
        barCategoryGap: '8%',
        data: bins.map((b, i) => ({
          value: b.count,
          itemStyle: { color: i === p95Bin ? '#c2410c' : '#4e79a7' },
        })),
        label: {
          show: true,
          position: 'top',
          fontSize: 11,
          color: '#323f4b',
          formatter: (p: { value: number }) => (p.value > 0 ? String(p.value) : ''),
        },
      },
    ],
  });
}

/** Short session label: its start as `MM-DD HH:MM` (UTC, as the heatmap's buckets), else its id. */
function sessionLabel(s: SessionP95): string {
  return s.startMs === null ? s.sessionId : new Date(s.startMs).toISOString().slice(5, 16).replace('T', ' ');
}

/**
 * p95 handler time per session, sessions left to right by start time; a session where the handler ran but was
 * never timed is a gap in the line. `overallP95Ms` is drawn as a dashed reference line.
 */
export function p95BySessionSvg(points: readonly SessionP95[], overallP95Ms: number | null): string {
  const labelled = points.length <= 12;
  return render({
    grid: { left: 56, right: 24, top: 28, bottom: 58 },
    xAxis: {
      type: 'category',
      data: points.map(sessionLabel),
      // Points in the middle of their slots: the first and last labels stay inside the chart.
      boundaryGap: true,
      name: 'session (by start time, UTC)',
      nameLocation: 'middle',
      nameGap: 40,
      nameTextStyle: AXIS,
      axisLabel: { ...AXIS, rotate: points.length > 4 ? 30 : 0, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: 'p95, ms',
      nameTextStyle: AXIS,
      min: 0,
      axisLabel: { ...AXIS, formatter: (v: number) => formatMs(v) },
      splitLine: SPLIT,
    },
    series: [
      {
        type: 'line',
        data: points.map((p) => p.p95),
        // Symbols and labels for a readable count of sessions; a long series is the line alone.
        showSymbol: points.length <= 60,
        connectNulls: false,
        symbol: 'circle',
        symbolSize: 7,
        lineStyle: { color: '#c2410c', width: 2 },
        itemStyle: { color: '#c2410c' },
        label: {
          show: labelled,
          position: 'top',
          fontSize: 11,
          color: '#323f4b',
          formatter: (p: { value: number | null }) => formatMs(p.value),
        },
        markLine:
          overallP95Ms === null
            ? undefined
            : {
                silent: true,
                symbol: 'none',
                lineStyle: { color: '#7b8794', type: 'dashed' },
                label: {
                  formatter: `all sessions ${formatMs(overallP95Ms)}`,
                  fontSize: 11,
                  color: '#52606d',
                  position: 'insideStartTop',
                },
                data: [{ yAxis: overallP95Ms }],
              },
      },
    ],
  });
}
