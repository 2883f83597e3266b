/**
 * `summary.md` for a pull-request comment: each computed report's short section (its definition's `summaryMd`),
 * in registry order — e.g. top 5 slow handlers, findings by kind, coverage quadrants.
 */
import type { ReportRun } from './report-definition.js';

export function renderSummaryMd(runs: readonly ReportRun[]): string {
  const sections = runs.flatMap((r) => {
    const md = r.summaryMd();
    return md === undefined ? [] : [md, ''];
  });
  return ['# beatscope summary', '', ...(sections.length === 0 ? ['_No report data._', ''] : sections)].join('\n');
}
