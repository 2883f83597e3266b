/** Terminal reporter of the heatmap: handler/beat/overhead table, async settle times, p95 per time bucket. */
import { handlersByTiming } from '../../analyses/handler-performance.js';
import type { HandlerPerformance, HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import type { HeatmapMatrix } from '../../analyses/heatmap-matrix.js';
import { count, duration, ms, msUnit, overheadText, pct, sourceRef } from '../report-format.js';
import { type Colors, colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { type Column, textTable } from '../text-table.js';
import { heatScale, heatStep } from './heatmap-scale.js';

const BAR_WIDTH = 10;

export function renderHeatmapText(report: HandlerPerformanceReport, options: RenderOptions = {}): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const { summary: s } = report;
  const heat = (v: number | null, text = ms(v)) => (v === null ? text : c[heatStep(v).color](text));
  const { timed, asyncOnly, untimed } = handlersByTiming(report.handlers);
  const maxP95 = Math.max(0, ...timed.map((h) => h.timing.p95 ?? 0));
  const bar = (v: number | null) => {
    const n = v === null || maxP95 === 0 ? 0 : Math.max(1, Math.round((v / maxP95) * BAR_WIDTH));
    return heat(v, '█'.repeat(n)) + c.dim('░'.repeat(BAR_WIDTH - n));
  };

  const out = [
    c.bold('Handler performance heatmap'),
    `  ${count(s.totalHandlers)} handlers, ${count(s.totalExecutions)} executions: ${count(s.timedExecutions)} timed, ${count(s.asyncExecutions)} async, ${count(s.untimedExecutions)} untimed`,
    c.dim(`  times in ms · handler: ${report.measures.handlerTime}`),
    c.dim(`  beat: ${report.measures.beatTime} · overhead: ${report.measures.overhead}`),
    '',
    c.bold(`Slowest handlers by p95 handler time${timed.length > limit ? ` (top ${limit} of ${timed.length})` : ''}`),
    timed.length === 0
      ? c.dim('  (no timed handler executions)')
      : textTable(
          [
            { header: 'p95' },
            { header: 'handler' },
            { header: 'plugin' },
            { header: 'runs', align: 'right' },
            { header: 'min', align: 'right' },
            { header: 'p50', align: 'right' },
            { header: 'p95', align: 'right' },
            { header: 'p99', align: 'right' },
            { header: 'max', align: 'right' },
            { header: 'total', align: 'right' },
            { header: 'share', align: 'right' },
            { header: 'beat p95', align: 'right' },
            { header: 'overhead p95', align: 'right' },
            { header: 'source' },
          ],
          timed.slice(0, limit).map((h) => handlerRow(h, bar, heat)),
          c.dim,
        ),
  ];
  // One table per group of handlers, each row led by the handler and its plugin; empty groups are left out.
  const group = (
    title: string,
    handlers: HandlerPerformance[],
    columns: Column[],
    cells: (h: HandlerPerformance) => string[],
  ) => {
    if (handlers.length === 0) return;
    const more = handlers.length > limit ? ` (top ${limit} of ${handlers.length})` : '';
    const rows = handlers.slice(0, limit).map((h) => [h.name, h.plugin ?? '—', ...cells(h)]);
    out.push(
      '',
      c.bold(`${title}${more}`),
      textTable([{ header: 'handler' }, { header: 'plugin' }, ...columns], rows, c.dim),
    );
  };
  group(
    'Async handlers, settled after their beat (time to settle, an upper bound)',
    asyncOnly,
    [
      { header: 'async runs', align: 'right' },
      { header: 'p50', align: 'right' },
      { header: 'p95', align: 'right' },
      { header: 'max', align: 'right' },
      { header: 'beat p95', align: 'right' },
    ],
    (h) => [
      count(h.settleTiming.count),
      ms(h.settleTiming.p50),
      ms(h.settleTiming.p95),
      ms(h.settleTiming.max),
      ms(h.beatTiming.p95),
    ],
  );
  // Ran but never timed (logs without handler settle lines): ranked by the beats they ran in, as the page does.
  group(
    'Untimed handlers (no settle line), by p95 beat time',
    untimed,
    [
      { header: 'runs', align: 'right' },
      { header: 'errors', align: 'right' },
      { header: 'beat p95', align: 'right' },
      { header: 'source' },
    ],
    (h) => [count(h.executions), count(h.errors), ms(h.beatTiming.p95), sourceRef(h.sourceFile, h.sourceLine)],
  );
  out.push('', ...matrixLines(report.matrix, limit, c), '', legend(c), '', ...summaryLines(report, c), '');
  return out.join('\n');
}

function handlerRow(
  h: HandlerPerformance,
  bar: (v: number | null) => string,
  heat: (v: number | null) => string,
): string[] {
  const t = h.timing;
  return [
    bar(t.p95),
    h.name,
    h.plugin ?? '—',
    count(h.executions),
    ms(t.min),
    ms(t.p50),
    heat(t.p95),
    ms(t.p99),
    ms(t.max),
    ms(t.total),
    pct(h.share),
    ms(h.beatTiming.p95),
    ms(h.overhead.p95),
    sourceRef(h.sourceFile, h.sourceLine),
  ];
}

function matrixLines(m: HeatmapMatrix, limit: number, c: Colors): string[] {
  if (m.buckets.length === 0) return [c.dim('  (no timestamps: no time buckets)')];
  const rows = m.rows.filter((r) => r.cells.some((cell) => cell?.p95 != null)).slice(0, limit);
  if (rows.length === 0) return [c.dim('  (no timed handler execution in any time bucket)')];
  const cell = (p95: number | null | undefined, ran: boolean) => {
    if (p95 === null || p95 === undefined) return ran ? c.dim('○') : c.dim('·');
    const step = heatStep(p95);
    return c[step.color](step.glyph);
  };
  return [
    c.bold(
      `p95 handler time per time bucket (${m.buckets.length} buckets of ${duration(m.bucketWidthMs)} session time)`,
    ),
    textTable(
      [{ header: 'handler' }, { header: 'plugin' }, { header: 'buckets →' }],
      rows.map((r) => [r.name, r.plugin ?? '—', r.cells.map((x) => cell(x?.p95, x !== null)).join('')]),
      c.dim,
    ),
  ];
}

function legend(c: Colors): string {
  const steps = heatScale.map((s) => `${c[s.color](s.glyph)} ${s.label}`);
  return `  legend: ${steps.join('  ')}  ${c.dim('○')} async/untimed only  ${c.dim('·')} no runs`;
}

function summaryLines(report: HandlerPerformanceReport, c: Colors): string[] {
  const s = report.summary;
  const sources = (counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  return [
    c.bold('Summary'),
    `  slowest: ${s.slowestHandler ?? '—'}${s.slowestHandlerPlugin ? ` (${s.slowestHandlerPlugin})` : ''} · fastest: ${s.fastestHandler ?? '—'}${s.fastestHandlerPlugin ? ` (${s.fastestHandlerPlugin})` : ''}`,
    `  handler time ${msUnit(s.totalTime)} · beat time ${msUnit(s.beatTime)} over ${count(s.beatsWithHandlers)} beats · overhead ${overheadText(s)}`,
    `  duration sources: handlers ${sources(s.durationSources.handler)}; beats ${sources(s.durationSources.beat)}`,
    ...report.notes.map((n) => c.yellow(`  note: ${n}`)),
  ];
}
