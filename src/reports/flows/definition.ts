/** The flows report: each sequence run checked against its definition (missing, extra, reordered beats, drift). */
import { type FlowReport, failOn, violationKinds } from '../../analyses/flow-types.js';
import { validateFlowsOnce } from '../../analyses/flow-validation.js';
import { defineReport } from '../report-definition.js';
import { count } from '../report-format.js';
import { renderFlowsMd } from './flows-md.js';
import { flowsCard, flowsSummaryMd } from './flows-summary.js';
import { renderFlowsText } from './flows-text.js';
import { renderFlowsPage } from './html-flows.js';

export const flowsReport = defineReport<FlowReport>({
  name: 'flows',
  title: 'Flows',
  schema: { schema: 'beatscope/flows', version: 1 },
  requiresCode: false,
  analyze: ({ data, code, aggregates }) => aggregates?.flows ?? validateFlowsOnce(data, code),
  text: renderFlowsText,
  md: renderFlowsMd,
  page: (ctx, report, { index }) => renderFlowsPage(ctx, report, index),
  card: flowsCard,
  summaryMd: flowsSummaryMd,
  headline: ({ summary: s }) =>
    `flow: ${count(s.conformingRuns)}/${count(s.sequenceRuns)} runs conform, ${count(s.violations)} violations`,
  failOn: {
    kinds: violationKinds,
    check: (report, kinds) =>
      failOn(
        report,
        violationKinds.filter((k) => kinds.includes(k)),
      ),
  },
});
