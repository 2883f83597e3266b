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
  reads: ['findings'],
  // A store larger than the timeline's window is read part by part (findingParts, computed by loadReportInput):
  // bursts and latency anomalies per part, handler errors over the whole store, flows from its flows report.
  analyze: ({ data, code, files, options, aggregates, findingParts, summary }) =>
    analyzeFindings({
      data,
      code,
      files,
      suppressions: options?.suppressions,
      flows: aggregates?.flows,
      parts: findingParts,
      wholeStore:
        findingParts && aggregates ? { errors: data.errors, executions: aggregates.handlerRunCounts } : undefined,
      storeBeatRuns: summary?.beatRuns,
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
