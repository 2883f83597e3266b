/** Markdown reporter of the heatmap: slowest handlers with the p95 scale as emoji, async handlers, summary. */
import { handlersByTiming } from '../../analyses/handler-performance.js';
import type { HandlerPerformance, HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import { mdCode, mdText } from '../md-escape.js';
import { count, ms, msUnit, overheadText, sourceRef } from '../report-format.js';
import { DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { type Column, markdownTable } from '../text-table.js';
import { heatScale, heatStep } from './heatmap-scale.js';

export function renderHeatmapMd(report: HandlerPerformanceReport, options: RenderOptions = {}): string {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const { timed, asyncOnly, untimed } = handlersByTiming(report.handlers);
  const out = [
    '## Handler performance',
    '',
    `${count(s.totalHandlers)} handlers, ${count(s.totalExecutions)} executions (${count(s.timedExecutions)} timed, ${count(s.asyncExecutions)} async, ${count(s.untimedExecutions)} untimed). Times in ms.`,
    '',
    `- **handler time**: ${report.measures.handlerTime}`,
    `- **beat time**: ${report.measures.beatTime}`,
    `- **overhead**: ${report.measures.overhead}`,
    '',
    `### Slowest handlers by p95${timed.length > limit ? ` (top ${limit} of ${timed.length})` : ''}`,
    '',
    timed.length === 0
      ? '_No timed handler executions._'
      : markdownTable(
          [
            { header: '' },
            { header: 'Handler' },
            { header: 'Plugin' },
            { header: 'Runs', align: 'right' },
            { header: 'p50', align: 'right' },
            { header: 'p95', align: 'right' },
            { header: 'p99', align: 'right' },
            { header: 'Max', align: 'right' },
            { header: 'Total', align: 'right' },
            { header: 'Beat p95', align: 'right' },
            { header: 'Overhead p95', align: 'right' },
            { header: 'Source' },
          ],
          timed
            .slice(0, limit)
            .map((h) => [
              heatStep(h.timing.p95!).emoji,
              mdCode(h.name),
              mdText(h.plugin ?? '—'),
              count(h.executions),
              ms(h.timing.p50),
              ms(h.timing.p95),
              ms(h.timing.p99),
              ms(h.timing.max),
              ms(h.timing.total),
              ms(h.beatTiming.p95),
              ms(h.overhead.p95),
              h.sourceFile ? mdCode(sourceRef(h.sourceFile, h.sourceLine)) : '—',
            ]),
        ),
    '',
    `Scale: ${heatScale.map((st) => `${st.emoji} ${st.label}`).join(' · ')}`,
  ];
  // One table per group of handlers, each row led by the handler and its plugin; empty groups are left out.
  const group = (
    title: string,
    handlers: HandlerPerformance[],
    columns: Column[],
    cells: (h: HandlerPerformance) => string[],
  ) => {
    if (handlers.length === 0) return;
    const rows = handlers.slice(0, limit).map((h) => [mdCode(h.name), mdText(h.plugin ?? '—'), ...cells(h)]);
    out.push('', title, '', markdownTable([{ header: 'Handler' }, { header: 'Plugin' }, ...columns], rows));
  };
  group(
    '### Async handlers (settled after their beat; time to settle is an upper bound)',
    asyncOnly,
    [
      { header: 'Async runs', align: 'right' },
      { header: 'p95 settle', align: 'right' },
    ],
    (h) => [count(h.settleTiming.count), ms(h.settleTiming.p95)],
  );
  group(
    '### Untimed handlers (no settle line), by p95 beat time',
    untimed,
    [
      { header: 'Runs', align: 'right' },
      { header: 'Beat p95', align: 'right' },
    ],
    (h) => [count(h.executions), ms(h.beatTiming.p95)],
  );
  out.push(
    '',
    `Handler time ${msUnit(s.totalTime)} · beat time ${msUnit(s.beatTime)} · orchestration overhead ${overheadText(s)}.`,
    ...report.notes.map((n) => `\n> ${n}`),
    '',
  );
  return out.join('\n');
}
