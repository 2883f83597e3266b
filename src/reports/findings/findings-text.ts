/** `beatscope report findings` in the terminal: counts by severity, then each finding with its explanation. */
import type { Finding, FindingsReport } from '../../analyses/findings/findings-types.js';
import { count } from '../report-format.js';
import { colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { severityCounts } from './severity-counts.js';

const MARK = { error: '✖', warning: '▲', note: 'ℹ' } as const;

export function renderFindingsText(report: FindingsReport, options: RenderOptions = {}): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const lines = [
    c.bold('Findings'),
    `  ${severityCounts(s.bySeverity, ' · ')}` +
      ` (${count(s.sequenceRuns)} sequence runs, ${count(s.handlerRuns)} handler executions checked)` +
      (report.suppressed.length > 0 ? ` · ${count(report.suppressed.length)} suppressed` : ''),
  ];
  for (const note of report.notes) lines.push(c.dim(`  ${note}`));
  if (report.findings.length === 0) {
    lines.push('', '  No findings.');
    return `${lines.join('\n')}\n`;
  }
  const paint = { error: c.red, warning: c.yellow, note: c.cyan } as const;
  for (const f of report.findings.slice(0, limit)) {
    lines.push('', `  ${paint[f.severity](`${MARK[f.severity]} ${f.severity}`)}  ${c.bold(f.kind)}  ${c.dim(f.id)}`);
    lines.push(`    ${oneLine(f.title)}`);
    lines.push(...wrap(f.explanation, 100).map((l) => `    ${c.dim(l)}`));
    const ev = firstEvidence(f);
    if (ev) lines.push(`    ${c.dim(`first evidence: ${ev}`)}`);
  }
  if (report.findings.length > limit) {
    lines.push('', c.dim(`  … ${report.findings.length - limit} more (--limit N, or --format json for all)`));
  }
  return `${lines.join('\n')}\n`;
}

function firstEvidence(f: Finding): string | null {
  const e = f.evidence[0];
  if (!e) return null;
  const where = e.logFile ? `${e.logFile}${e.logLine === null ? '' : `:${e.logLine}`}` : e.session;
  return e.requestId ? `${where} (request ${e.requestId})` : where;
}

/** Log text may hold control characters and newlines: one line, no escape sequences. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}
