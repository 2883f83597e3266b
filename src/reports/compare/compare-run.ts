/**
 * The comparison with a baseline as one more report of an `analyze` run (`beatscope analyze --baseline <file>`):
 * `compare.json`, a `compare.html` page in the site, its overview panel and its `summary.md` section. It is not in
 * `allReports`: it needs the baseline file besides the store, so it is built from a finished comparison.
 */
import type { CompareReport } from '../../analyses/regressions/compare-types.js';
import { COMPARE_SCHEMA, COMPARE_VERSION } from '../../analyses/regressions/compare-types.js';
import { formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel } from '../html-overview.js';
import { defineReport, type ReportInput, type ReportRun } from '../report-definition.js';
import { renderCompareMarkdown, renderCompareText } from './compare-text.js';
import { renderComparePage } from './html-compare.js';

/** `report` as a run; `baselineLabel` names the baseline on the page (e.g. its path). */
export function compareRun(report: CompareReport, baselineLabel: string, input: ReportInput): ReportRun {
  const entry = defineReport<CompareReport>({
    name: 'compare',
    title: 'Baseline',
    schema: { schema: COMPARE_SCHEMA, version: COMPARE_VERSION },
    requiresCode: false,
    analyze: () => report,
    text: (r) => renderCompareText(r),
    md: (r) => renderCompareMarkdown(r),
    page: (ctx, r) => renderComparePage(ctx, r, baselineLabel),
    card: (r) =>
      overviewPanel(
        'compare',
        'Against the baseline',
        `<div class="cards">
${card('slower', formatCount(r.summary.regressions), { bad: r.summary.regressions > 0 })}
${card('faster', formatCount(r.summary.improvements))}
${card('new errors', formatCount(r.summary.newErrors), { bad: r.summary.newErrors > 0 })}
${card('structural', formatCount(r.summary.structural), { bad: r.summary.structural > 0 })}
</div>`,
      ),
    summaryMd: (r) => renderCompareMarkdown(r).trimEnd(),
    headline: (r) =>
      `baseline: ${r.summary.regressions} slower, ${r.summary.improvements} faster, ${r.summary.newErrors} new errors, ${r.summary.structural} structural`,
  });
  return entry.run(input);
}
