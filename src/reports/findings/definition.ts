/** The findings report: what is wrong in production and where in the code to look (errors, anomalies, flows). */
import { analyzeFindings, findingsFail } from '../../analyses/findings/findings.js';
import { type FindingsReport, findingKinds, findingSeverities } from '../../analyses/findings/findings-types.js';
import { defineReport } from '../report-definition.js';
import { webClientSource } from '../web-client-source.js';
import { renderFindingsMd } from './findings-md.js';
import { renderFindingsSarif } from './findings-sarif.js';
import { findingsCard, findingsHeadline, findingsSummaryMd } from './findings-summary.js';
import { renderFindingsText } from './findings-text.js';
import { renderFindingsPage } from './html-findings.js';

export const findingsReport = defineReport<FindingsReport>({
  name: 'findings',
  title: 'Findings',
  schema: { schema: 'beatscope/findings', version: 1 },
  requiresCode: false,
  // A store larger than the timeline's window is checked on that window (its first beat runs), with a note:
  // latency, burst and flow findings need every handler run of what they cover, which a huge store cannot hold.
  // Handler errors are few: they are grouped and counted over the whole store, against its handler-run counts.
  analyze: ({ data, code, files, options, aggregates, timelineWindow }) =>
    analyzeFindings({
      data: timelineWindow?.data ?? data,
      code,
      files,
      suppressions: options?.suppressions,
      flows: timelineWindow ? undefined : aggregates?.flows,
      window: timelineWindow?.window,
      wholeStore:
        timelineWindow && aggregates ? { errors: data.errors, executions: aggregates.handlerRunCounts } : undefined,
    }),
  text: renderFindingsText,
  md: renderFindingsMd,
  sarif: renderFindingsSarif,
  page: async (ctx, report, { index }) =>
    renderFindingsPage(ctx, report, index, await webClientSource('findings-client')),
  card: findingsCard,
  summaryMd: findingsSummaryMd,
  headline: findingsHeadline,
  failOn: {
    kinds: [...findingSeverities, ...findingKinds],
    check: (report, kinds) => findingsFail(report, kinds),
  },
});
