/** Markdown reporter of handler coverage. */
import type { CoverageReport, HandlerCoverage, Quadrant } from '../../analyses/coverage-types.js';
import { mdCode, mdText } from '../md-escape.js';
import { count, pct, sourceRef } from '../report-format.js';
import { DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { markdownTable } from '../text-table.js';
import { quadrantLabels } from './coverage-text.js';

export function renderCoverageMd(report: CoverageReport, options: RenderOptions = {}): string {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const risky = report.handlers.filter((h) => h.quadrant === 'used-untested');
  const dead = report.handlers.filter((h) => h.quadrant === 'dead');
  const out = [
    '## Handler coverage',
    '',
    `${count(s.defined)} handlers defined: ${count(s.used)} used in production (${pct(s.usedShare)}), ${count(s.tested)} tested (${pct(s.testedShare)}); ${count(s.untestedExecutions)} of ${count(s.executions)} executions ran untested code.`,
    '',
    quadrantsMd(report),
    '',
    `### Used but untested${risky.length > limit ? ` (top ${limit} of ${risky.length})` : ''}`,
    '',
    risky.length === 0 ? 'None.' : untestedUsedMd(risky.slice(0, limit)),
    '',
    '### Per plugin',
    '',
    markdownTable(
      [
        { header: 'Plugin' },
        { header: 'Defined', align: 'right' },
        { header: 'Used', align: 'right' },
        { header: 'Tested', align: 'right' },
        { header: 'Untested runs', align: 'right' },
      ],
      report.plugins.map((p) => [
        p.pluginId,
        count(p.defined),
        count(p.used),
        count(p.tested),
        count(p.untestedExecutions),
      ]),
    ),
  ];
  if (dead.length > 0) {
    out.push(
      '',
      '### Dead-code candidates',
      '',
      ...dead
        .slice(0, limit)
        .map(
          (h) =>
            `- ${mdCode(h.handler)} (${mdText(h.pluginId ?? '—')}) ${mdText(sourceRef(h.sourceFile, h.sourceLine))}`,
        ),
    );
  }
  if (report.unknownHandlers.length > 0) {
    out.push(
      '',
      '### Unknown to the code index',
      '',
      ...report.unknownHandlers.map(
        (h) => `- ${mdCode(h.handler)} (${mdText(h.pluginId ?? '—')}): ${count(h.executions)} runs`,
      ),
    );
  }
  out.push('');
  return out.join('\n');
}

/** Shared with summary.md. */
export function quadrantsMd(report: CoverageReport): string {
  return markdownTable(
    [{ header: 'Quadrant' }, { header: 'Handlers', align: 'right' }],
    (Object.keys(quadrantLabels) as Quadrant[]).map((q) => [quadrantLabels[q], count(report.summary.quadrants[q])]),
  );
}

/** Shared with summary.md. */
export function untestedUsedMd(rows: readonly HandlerCoverage[]): string {
  return markdownTable(
    [
      { header: 'Handler' },
      { header: 'Plugin' },
      { header: 'Runs', align: 'right' },
      { header: 'Errors', align: 'right' },
      { header: 'Source' },
    ],
    rows.map((h) => [
      mdCode(h.handler),
      mdText(h.pluginId ?? '—'),
      count(h.executions),
      count(h.errors),
      h.sourceFile ? mdCode(sourceRef(h.sourceFile, h.sourceLine)) : '—',
    ]),
  );
}
