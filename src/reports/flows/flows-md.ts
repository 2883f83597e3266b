/** Markdown reporter of the flow validator. */
import type { FlowReport } from '../../analyses/flow-types.js';
import { violationKinds } from '../../analyses/flow-types.js';
import { mdCode, mdText } from '../md-escape.js';
import { count, pct } from '../report-format.js';
import { DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { markdownTable } from '../text-table.js';

export function renderFlowsMd(report: FlowReport, options: RenderOptions = {}): string {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const out = [
    '## Flow validation',
    '',
    `${count(s.sequenceRuns)} sequence runs, ${count(s.conformingRuns)} conform (**${pct(s.fitness)}**); ${count(s.sequencesRun)} sequences ran, ${count(s.sequencesDefined)} defined; ${count(s.violations)} findings.`,
    '',
    violationsByKindMd(report),
    '',
    '### Sequences',
    '',
    markdownTable(
      [
        { header: 'Sequence' },
        { header: 'Plugin' },
        { header: 'Runs', align: 'right' },
        { header: 'Fitness', align: 'right' },
        { header: 'Findings' },
      ],
      report.sequences.map((q) => [
        mdText(q.sequenceName),
        mdText(q.pluginId ?? '—'),
        count(q.runs),
        pct(q.fitness),
        Object.entries(q.violations)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || '—',
      ]),
    ),
  ];
  if (report.drift.length > 0) {
    out.push('', '### Drift', '');
    for (const d of report.drift) {
      for (const b of d.missingInRuns)
        out.push(
          `- ${mdCode(d.sequenceId)}: beat ${b.beat} ${mdCode(b.event)} → ${mdCode(b.handler)} is defined but no run executed it`,
        );
      for (const b of d.extraInRuns)
        out.push(`- ${mdCode(d.sequenceId)}: runs execute ${mdCode(b.event)}, which the definition no longer has`);
      for (const b of d.handlerChanged)
        out.push(
          `- ${mdCode(d.sequenceId)}: ${mdCode(b.event)} runs ${mdCode(b.handler)}, defined ${mdCode(b.definedHandler)}`,
        );
    }
  }
  if (report.violations.length > 0) {
    out.push(
      '',
      `### Findings${report.violations.length > limit ? ` (first ${limit} of ${report.violations.length})` : ''}`,
      '',
    );
    out.push(
      markdownTable(
        [{ header: 'Severity' }, { header: 'Kind' }, { header: 'Sequence' }, { header: 'Message' }],
        report.violations
          .slice(0, limit)
          .map((v) => [v.severity, v.kind, mdText(v.sequenceId ?? v.sequenceName ?? '—'), mdText(v.message)]),
      ),
    );
  }
  out.push(...report.notes.map((n) => `\n> ${n}`), '');
  return out.join('\n');
}

/** Counts of the kinds found (unchecked kinds named apart); shared with summary.md. */
export function violationsByKindMd(report: FlowReport): string {
  const found = violationKinds.filter((k) => report.summary.byKind[k] > 0);
  const lines = [
    found.length === 0
      ? 'No findings.'
      : markdownTable(
          [{ header: 'Kind' }, { header: 'Count', align: 'right' }],
          found.map((k) => [k, count(report.summary.byKind[k])]),
        ),
  ];
  if (report.unchecked.length > 0)
    lines.push('', `_Not checked without a code index: ${report.unchecked.join(', ')}._`);
  return lines.join('\n');
}
