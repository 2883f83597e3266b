/** The heatmap's overview panel and its `summary.md` section: the slowest handlers by p95 handler time. */

import { handlersByTiming } from '../../analyses/handler-performance.js';
import type { HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import { slowestHandlersChart } from '../charts/overview-charts.js';
import { formatCount, formatMs } from '../html-layout.js';
import { overviewCard as card, overviewPanel, overviewPct } from '../html-overview.js';
import { mdCode, mdText } from '../md-escape.js';
import { count, ms, overheadText } from '../report-format.js';
import { markdownTable } from '../text-table.js';
import { heatStep } from './heatmap-scale.js';

/** Handlers listed in `summary.md`. */
const TOP = 5;

export function heatmapCard(h: HandlerPerformanceReport): string {
  const slow = h.slowest[0];
  const timed = handlersByTiming(h.handlers).timed.length;
  return overviewPanel(
    'heatmap',
    'Handler performance',
    `<div class="cards">
${card('slowest handler (p95)', slow ? slow.name : '—', { id: 'slowest-handler' })}
${card('its p95 handler time', slow ? formatMs(slow.p95) : '—')}
${card('handlers timed', `${formatCount(timed)} of ${formatCount(h.summary.totalHandlers)}`, { id: 'handlers-timed' })}
${card('orchestration overhead', overviewPct(h.summary.overheadShare))}
</div>
${slowestHandlersChart(h)}`,
  );
}

export function heatmapSummaryMd(heatmap: HandlerPerformanceReport): string {
  const top = handlersByTiming(heatmap.handlers).timed.slice(0, TOP);
  return [
    `## Slowest handlers (p95 handler time, ms)`,
    '',
    top.length === 0
      ? '_No timed handler executions._'
      : markdownTable(
          [
            { header: '' },
            { header: 'Handler' },
            { header: 'Plugin' },
            { header: 'Runs', align: 'right' },
            { header: 'p95', align: 'right' },
            { header: 'Beat p95', align: 'right' },
          ],
          top.map((h) => [
            heatStep(h.timing.p95 ?? 0).emoji,
            mdCode(h.name),
            mdText(h.plugin ?? '—'),
            count(h.executions),
            ms(h.timing.p95),
            ms(h.beatTiming.p95),
          ]),
        ),
    '',
    `Orchestration overhead: ${overheadText(heatmap.summary)}.`,
  ].join('\n');
}
