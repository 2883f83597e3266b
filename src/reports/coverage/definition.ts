/** The coverage report: which handlers production ran and which tests exercise (needs a code index). */
import { analyzeCoverage, analyzeCoverageCounts } from '../../analyses/coverage.js';
import type { CoverageReport } from '../../analyses/coverage-types.js';
import { defineReport } from '../report-definition.js';
import { renderCoverageMd } from './coverage-md.js';
import { coverageCard, coverageSummaryMd } from './coverage-summary.js';
import { renderCoverageText } from './coverage-text.js';
import { renderCoveragePage } from './html-coverage.js';

export const coverageReport = defineReport<CoverageReport>({
  name: 'coverage',
  title: 'Coverage',
  schema: { schema: 'beatscope/coverage', version: 1 },
  requiresCode: true,
  analyze: ({ data, code, aggregates }) => {
    if (!code) throw new Error('the coverage report needs a code index (--code <dir>)');
    if (aggregates) return analyzeCoverageCounts(aggregates.handlerRunCounts, aggregates.beatRuns, code);
    return analyzeCoverage(data, code);
  },
  text: renderCoverageText,
  md: renderCoverageMd,
  page: (ctx, report, { index }) => renderCoveragePage(ctx, report, index),
  card: coverageCard,
  summaryMd: coverageSummaryMd,
});
