/** The findings report in Markdown (pull-request comments): log and code text escaped (md-escape.ts). */
import type { Finding, FindingsReport } from '../../analyses/findings/findings-types.js';
import { mdCode, mdText } from '../md-escape.js';
import { count, pct } from '../report-format.js';
import { DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { markdownTable } from '../text-table.js';
import { severityCounts } from './severity-counts.js';

export function renderFindingsMd(report: FindingsReport, options: RenderOptions = {}): string {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const parts = [
    '# Findings',
    '',
    `${severityCounts(s.bySeverity)}` +
      ` over ${count(s.sequenceRuns)} sequence runs and ${count(s.handlerRuns)} handler executions` +
      (report.suppressed.length > 0 ? `; ${count(report.suppressed.length)} suppressed` : '') +
      '.',
    ...report.notes.map((n) => `\n> ${mdProse(n)}`),
    '',
  ];
  if (report.findings.length === 0) return `${[...parts, 'No findings.'].join('\n')}\n`;
  parts.push(findingsTableMd(report.findings.slice(0, limit)), '');
  for (const f of report.findings.slice(0, limit)) parts.push(findingMd(f), '');
  if (report.findings.length > limit) parts.push(`… ${report.findings.length - limit} more (see findings.json).`, '');
  return `${parts.join('\n').trimEnd()}\n`;
}

export function findingsTableMd(findings: readonly Finding[]): string {
  return markdownTable(
    [
      { header: 'severity' },
      { header: 'kind' },
      { header: 'finding' },
      { header: 'where' },
      { header: 'count', align: 'right' },
      { header: 'rate', align: 'right' },
    ],
    findings.map((f) => [
      f.severity,
      f.kind,
      mdText(f.title),
      f.file ? mdCode(`${f.file}${f.line === null ? '' : `:${f.line}`}`) : '—',
      count(f.count),
      pct(f.rate),
    ]),
  );
}

function findingMd(f: Finding): string {
  const evidence = f.evidence.map((e) => {
    const where = e.logFile ? `${e.logFile}${e.logLine === null ? '' : `:${e.logLine}`}` : e.session;
    return `  - ${mdCode(where)}${e.requestId ? ` request ${mdCode(e.requestId)}` : ''}`;
  });
  return [
    `### ${mdText(f.title)}`,
    '',
    `${mdProse(f.explanation)}`,
    '',
    `- id ${mdCode(f.id)} · ${f.severity} · ${f.kind}`,
    ...(f.hints && f.hints.length > 0
      ? [
          '- what sets the failing runs apart:',
          ...f.hints.map((h) => `  - ${mdProse(h.text)} (p = ${h.pValue.toExponential(1)})`),
        ]
      : []),
    ...(evidence.length > 0 ? ['- evidence:', ...evidence] : []),
  ].join('\n');
}

/** Prose whose `backquoted` parts are code: each part escaped for what it is. */
export function mdProse(text: string): string {
  return text
    .split(/`([^`\n]*)`/)
    .map((part, i) => (i % 2 === 1 ? mdCode(part) : mdText(part)))
    .join('');
}
