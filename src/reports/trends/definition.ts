/** The trends report: where each handler's time changed level across sessions (change points). */
import { buildTrends, trendsOfGroups } from '../../analyses/trends/build-trends.js';
import type { TrendsReport } from '../../analyses/trends/trends-types.js';
import { formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel } from '../html-overview.js';
import { mdCode } from '../md-escape.js';
import { defineReport } from '../report-definition.js';
import { renderTrendsPage } from './html-trends.js';
import { pctText, renderTrendsMd, renderTrendsText, whenText } from './trends-text.js';

export const trendsReport = defineReport<TrendsReport>({
  name: 'trends',
  title: 'Trends',
  schema: { schema: 'beatscope/trends', version: 1 },
  requiresCode: false,
  // From the runs streamed out of the store when there are (analyzeStore), else from the trace data: same result.
  analyze: ({ data, files, aggregates }) =>
    aggregates ? trendsOfGroups(aggregates.trendRuns, files) : buildTrends(data, files),
  text: renderTrendsText,
  md: renderTrendsMd,
  page: (ctx, report) => renderTrendsPage(ctx, report),
  card: (r) =>
    overviewPanel(
      'trends',
      'Trends',
      `<div class="cards">
${card('change points', formatCount(r.summary.changePoints), { bad: r.changePoints.some((c) => c.change > 0) })}
${card('handlers changed', formatCount(r.summary.handlersChanged))}
${card('series tested', formatCount(r.summary.tested))}
</div>`,
    ),
  // Nothing to add when no series could be tested (too few sessions): the trends page says why.
  summaryMd: (r) =>
    r.changePoints.length === 0
      ? undefined
      : [
          '## Handler time trends',
          '',
          ...r.changePoints
            .slice(0, 5)
            .map(
              (c) =>
                `- ${mdCode(`${c.plugin}.${c.handler}`)}${c.sequence === null ? '' : ` in ${mdCode(c.sequence)}`}: ${pctText(c.change)} from ${whenText(c.at.time)} UTC (p50 ${c.before.p50} → ${c.after.p50} ms)`,
            ),
          ...(r.changePoints.length > 5 ? [`- … ${r.changePoints.length - 5} more (trends.json)`] : []),
        ].join('\n'),
  headline: (r) => `trends: ${r.summary.changePoints} change points in ${r.summary.handlersChanged} handlers`,
});
