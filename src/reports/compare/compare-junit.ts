/**
 * `beatscope compare --format junit`: one test case per handler time (classname = plugin, name = handler and
 * sequence), failed when it regressed, skipped when the data was insufficient; new errors, error-rate increases
 * and structural changes are failed cases of their own, so CI systems list them natively.
 */
import type { CompareReport } from '../../analyses/regressions/compare-types.js';

/** XML 1.0 text and attribute escaping; characters XML cannot hold at all are dropped. */
export function xmlEscape(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Case {
  classname: string;
  name: string;
  failure?: { type: string; message: string };
  skipped?: string;
}

export function renderCompareJunit(r: CompareReport): string {
  const cases: Case[] = [];
  const nameOf = (handler: string | null, sequence: string | null) =>
    `${handler ?? '(sequence)'}${sequence ? ` [${sequence}]` : ''}`;
  for (const c of r.compared) {
    const text = `p50 ${c.baseline.p50} → ${c.candidate.p50} ms, p95 ${c.baseline.p95} → ${c.candidate.p95} ms, change ${(c.change * 100).toFixed(1)}%, q ${c.pValue.toPrecision(3)}, n ${c.baseline.n}/${c.candidate.n}`;
    cases.push({
      classname: c.plugin,
      name: nameOf(c.handler, c.sequence),
      ...(c.verdict === 'regression' && { failure: { type: 'regression', message: `slower: ${text}` } }),
    });
  }
  for (const i of r.insufficient)
    cases.push({ classname: i.plugin, name: nameOf(i.handler, i.sequence), skipped: i.reason });
  for (const e of r.newErrors)
    cases.push({
      classname: e.plugin,
      name: `${e.handler} new error`,
      failure: { type: 'new-error', message: `${e.signature} (${e.count} times, rate ${e.rate})` },
    });
  for (const e of r.errorRateIncreases)
    cases.push({
      classname: e.plugin,
      name: `${e.handler} error rate`,
      failure: {
        type: 'error-rate',
        message: `${e.baseline.errors}/${e.baseline.executions} → ${e.candidate.errors}/${e.candidate.executions}`,
      },
    });
  for (const s of r.structural)
    cases.push({
      classname: s.plugin ?? 'sequences',
      name: `${s.kind} ${nameOf(s.handler, s.sequence)}`,
      failure: { type: 'structural', message: s.detail },
    });
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const body = cases.map((c) => {
    const open = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}"`;
    if (c.failure)
      return `${open}>\n      <failure type="${c.failure.type}" message="${xmlEscape(c.failure.message)}"/>\n    </testcase>`;
    if (c.skipped !== undefined) return `${open}>\n      <skipped message="${xmlEscape(c.skipped)}"/>\n    </testcase>`;
    return `${open}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="beatscope compare" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="handler performance" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    ...body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
