/** The findings' overview panel, `summary.md` section and terminal headline. */
import type { FindingsReport } from '../../analyses/findings/findings-types.js';
import { escapeHtml, formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel } from '../html-overview.js';
import { findingsTableMd } from './findings-md.js';
import { severityCounts } from './severity-counts.js';

const TOP = 5;

export function findingsCard(r: FindingsReport): string {
  const s = r.summary.bySeverity;
  const top = r.findings
    .slice(0, TOP)
    .map((f) => `<li><strong>${escapeHtml(f.severity)}</strong> ${escapeHtml(f.title)}</li>`)
    .join('');
  return overviewPanel(
    'findings',
    'Findings',
    `<div class="cards">
${card('errors', formatCount(s.error), { bad: s.error > 0 })}
${card('warnings', formatCount(s.warning), { warn: s.warning > 0 })}
${card('notes', formatCount(s.note))}
</div>${top ? `<ul>${top}</ul>` : ''}`,
  );
}

export function findingsSummaryMd(r: FindingsReport): string {
  const s = r.summary.bySeverity;
  const head = `## Findings (${severityCounts(s)})`;
  if (r.findings.length === 0) return `${head}\n\nNo findings.`;
  return [head, '', findingsTableMd(r.findings.slice(0, TOP))].join('\n');
}

export function findingsHeadline(r: FindingsReport): string {
  const s = r.summary.bySeverity;
  return `findings: ${severityCounts(s)}${r.findings[0] ? ` · top: ${r.findings[0].title}` : ''}`;
}
