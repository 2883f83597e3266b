/** `beatscope compare` in the terminal and as a pull-request comment (Markdown; names escaped, they come from logs). */
import type { CompareReport, HandlerChange } from '../../analyses/regressions/compare-types.js';
import { mdCell, mdCode } from '../md-escape.js';

const pctText = (change: number) => `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
const pText = (p: number) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
const where = (c: { plugin: string | null; handler: string | null; sequence: string | null }) =>
  `${c.plugin ?? ''}${c.handler ? `.${c.handler}` : ''}${c.sequence ? ` in "${c.sequence}"` : ''}`;

function changeLine(c: HandlerChange): string {
  return `  ${where(c)}: p50 ${c.baseline.p50} → ${c.candidate.p50} ms, p95 ${c.baseline.p95} → ${c.candidate.p95} ms, ${pctText(c.change)} (n ${c.baseline.n}/${c.candidate.n}, q ${pText(c.pValue)})`;
}

function shiftText(r: CompareReport): string {
  const f = r.releaseShift;
  if (f.handlers === 0) return 'no release-wide factor (no handler tested)';
  return `release-wide: the median handler is ${pctText(f.factor - 1)} (${f.handlers} handlers)${r.options.normalize ? '; candidate times divided by it before testing' : ''}`;
}

export function renderCompareText(r: CompareReport): string {
  const s = r.summary;
  const out = [
    `beatscope compare: ${s.tested} handler times tested (≥ ${r.options.minSamples} timed runs each side, change ≥ ${(r.options.minChange * 100).toFixed(0)}%, FDR ${r.options.alpha})`,
    `  ${s.regressions} slower, ${s.improvements} faster, ${s.newErrors} new error signatures, ${s.errorRateIncreases} error-rate increases, ${s.structural} structural changes, ${s.insufficient} insufficient`,
  ];
  out.push(`  ${shiftText(r)}`);
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) out.push('', `${title} (${lines.length})`, ...lines);
  };
  section('Slower', r.regressions.map(changeLine));
  section('Faster', r.improvements.map(changeLine));
  section(
    'New errors',
    r.newErrors.map(
      (e) => `  ${where({ ...e, sequence: null })}: ${e.signature} ×${e.count} (${pctText(e.rate).slice(1)} of runs)`,
    ),
  );
  section(
    'Error rate up',
    r.errorRateIncreases.map(
      (e) =>
        `  ${where({ ...e, sequence: null })}: ${e.baseline.errors}/${e.baseline.executions} → ${e.candidate.errors}/${e.candidate.executions} (q ${pText(e.pValue)})`,
    ),
  );
  section(
    'Structural',
    r.structural.map((c) => `  ${c.kind} ${where(c)}: ${c.detail}`),
  );
  section(
    'Insufficient data',
    r.insufficient.map((i) => `  ${where(i)}: ${i.reason}`),
  );
  return `${out.join('\n')}\n`;
}

export function renderCompareMarkdown(r: CompareReport): string {
  const s = r.summary;
  const failing = s.regressions + s.newErrors + s.errorRateIncreases + s.structural;
  const out = [
    `## ${failing === 0 ? '✅' : '⚠️'} beatscope: handler performance against the baseline`,
    '',
    `${s.tested} handler times tested: **${s.regressions} slower**, ${s.improvements} faster, ${s.newErrors} new error signatures, ${s.errorRateIncreases} error-rate increases, ${s.structural} structural changes, ${s.insufficient} with too little data.`,
    '',
    `${shiftText(r)}.`,
    '',
    `<sub>Mann–Whitney U per handler, Benjamini–Hochberg FDR ${r.options.alpha}, minimum change ${(r.options.minChange * 100).toFixed(0)}%, at least ${r.options.minSamples} timed runs on each side.</sub>`,
  ];
  const changes = (title: string, list: readonly HandlerChange[]) => {
    if (list.length === 0) return;
    out.push(
      '',
      `### ${title}`,
      '',
      '| Plugin | Handler | Sequence | p50 ms | p95 ms | Change | n | q |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const c of list) {
      out.push(
        `| ${mdCode(c.plugin)} | ${mdCode(c.handler)} | ${mdCode(c.sequence)} | ${c.baseline.p50} → ${c.candidate.p50} | ${c.baseline.p95} → ${c.candidate.p95} | ${pctText(c.change)} | ${c.baseline.n} / ${c.candidate.n} | ${pText(c.pValue)} |`,
      );
    }
  };
  changes('Slower', r.regressions);
  changes('Faster', r.improvements);
  if (r.newErrors.length > 0) {
    out.push('', '### New errors', '', '| Plugin | Handler | Signature | Count | Rate |', '|---|---|---|---|---|');
    for (const e of r.newErrors)
      out.push(
        `| ${mdCode(e.plugin)} | ${mdCode(e.handler)} | ${mdCode(e.signature)} | ${e.count} | ${pctText(e.rate).slice(1)} |`,
      );
  }
  if (r.errorRateIncreases.length > 0) {
    out.push('', '### Error rate up', '', '| Plugin | Handler | Baseline | Candidate | q |', '|---|---|---|---|---|');
    for (const e of r.errorRateIncreases)
      out.push(
        `| ${mdCode(e.plugin)} | ${mdCode(e.handler)} | ${e.baseline.errors}/${e.baseline.executions} | ${e.candidate.errors}/${e.candidate.executions} | ${pText(e.pValue)} |`,
      );
  }
  if (r.structural.length > 0) {
    out.push(
      '',
      '### Structural changes',
      '',
      '| Kind | Plugin | Handler | Sequence | Detail |',
      '|---|---|---|---|---|',
    );
    for (const c of r.structural)
      out.push(
        `| ${c.kind} | ${mdCode(c.plugin)} | ${mdCode(c.handler)} | ${mdCode(c.sequence)} | ${mdCell(c.detail)} |`,
      );
  }
  if (r.insufficient.length > 0) {
    out.push('', `<details><summary>${r.insufficient.length} handler times with too little data</summary>`, '');
    for (const i of r.insufficient)
      out.push(
        `- ${mdCode(i.plugin)} ${mdCode(i.handler)}${i.sequence ? ` in ${mdCode(i.sequence)}` : ''}: ${mdCell(i.reason)}`,
      );
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}
