/** The coverage report's overview panel and its `summary.md` section: quadrants, used but untested handlers. */
import type { CoverageReport } from '../../analyses/coverage-types.js';
import { formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel, overviewPct } from '../html-overview.js';
import { quadrantsMd, untestedUsedMd } from './coverage-md.js';

export function coverageCard(report: CoverageReport): string {
  const c = report.summary;
  return overviewPanel(
    'coverage',
    'Coverage',
    `<div class="cards">
${card('used, untested handlers', formatCount(c.quadrants['used-untested']), { bad: c.quadrants['used-untested'] > 0, id: 'n-untested' })}
${card('runs of untested handlers', formatCount(c.untestedExecutions))}
${card('handlers with a test', overviewPct(c.testedShare))}
${card('never used (dead candidates)', formatCount(c.quadrants.dead))}
</div>`,
  );
}

export function coverageSummaryMd(coverage: CoverageReport): string {
  const risky = coverage.handlers.filter((h) => h.quadrant === 'used-untested');
  return [
    '## Coverage',
    '',
    quadrantsMd(coverage),
    '',
    `### Used but untested (${risky.length})`,
    '',
    risky.length === 0 ? 'None.' : untestedUsedMd(risky),
  ].join('\n');
}
