/** JSON reporter of the flow validator: the report in the `beatscope/flows` v1 envelope (docs/reports.md). */
import type { FlowReport } from '../../analyses/flow-types.js';
import { type RenderOptions, renderEnvelope } from '../report-schema.js';

export function renderFlowsJson(report: FlowReport, options: RenderOptions = {}): string {
  return renderEnvelope('flows', report, options);
}
