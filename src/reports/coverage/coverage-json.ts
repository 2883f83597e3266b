/** JSON reporter of handler coverage: the report in the `beatscope/coverage` v1 envelope (docs/reports.md). */
import type { CoverageReport } from '../../analyses/coverage-types.js';
import { type RenderOptions, renderEnvelope } from '../report-schema.js';

export function renderCoverageJson(report: CoverageReport, options: RenderOptions = {}): string {
  return renderEnvelope('coverage', report, options);
}
