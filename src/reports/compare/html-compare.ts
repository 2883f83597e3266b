/**
 * The comparison page of `beatscope analyze --baseline <file>`: what got slower or faster than the committed
 * baseline, new error signatures, error-rate increases, structural changes and what had too little data. Every
 * name comes from logs and is escaped.
 */
import type { CompareReport, HandlerChange } from '../../analyses/regressions/compare-types.js';
import { escapeHtml, formatCount, type PageContext, renderPage } from '../html-layout.js';

const pct = (change: number) => `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;
const p = (v: number) => (v < 0.0001 ? v.toExponential(1) : v.toFixed(4));
const cell = (v: string | number | null) => `<td>${escapeHtml(v ?? '—')}</td>`;
const num = (v: string | number) => `<td class="num">${escapeHtml(v)}</td>`;

function table(headers: readonly string[], rows: readonly string[]): string {
  return `<div class="table-wrap"><table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${rows.join('\n')}</tbody></table></div>`;
}

function changes(title: string, list: readonly HandlerChange[]): string {
  if (list.length === 0) return '';
  const rows = list.map(
    (c) =>
      `<tr>${cell(c.plugin)}<td class="mono">${escapeHtml(c.handler)}</td>${cell(c.sequence)}${num(`${c.baseline.p50} → ${c.candidate.p50}`)}${num(`${c.baseline.p95} → ${c.candidate.p95}`)}${num(pct(c.change))}${num(`${c.baseline.n} / ${c.candidate.n}`)}${num(p(c.pValue))}</tr>`,
  );
  return `<h2>${escapeHtml(title)} (${list.length})</h2>${table(['plugin', 'handler', 'sequence', 'p50 ms', 'p95 ms', 'change', 'n', 'q'], rows)}`;
}

export function renderComparePage(ctx: PageContext, r: CompareReport, baselineLabel: string): string {
  const s = r.summary;
  const f = r.releaseShift;
  const sections = [
    changes('Slower', r.regressions),
    changes('Faster', r.improvements),
    r.newErrors.length === 0
      ? ''
      : `<h2>New errors (${r.newErrors.length})</h2>${table(
          ['plugin', 'handler', 'signature', 'count', 'rate'],
          r.newErrors.map(
            (e) =>
              `<tr>${cell(e.plugin)}<td class="mono">${escapeHtml(e.handler)}</td><td class="mono">${escapeHtml(e.signature)}</td>${num(e.count)}${num(pct(e.rate).slice(1))}</tr>`,
          ),
        )}`,
    r.errorRateIncreases.length === 0
      ? ''
      : `<h2>Error rate up (${r.errorRateIncreases.length})</h2>${table(
          ['plugin', 'handler', 'baseline', 'candidate', 'q'],
          r.errorRateIncreases.map(
            (e) =>
              `<tr>${cell(e.plugin)}<td class="mono">${escapeHtml(e.handler)}</td>${num(`${e.baseline.errors}/${e.baseline.executions}`)}${num(`${e.candidate.errors}/${e.candidate.executions}`)}${num(p(e.pValue))}</tr>`,
          ),
        )}`,
    r.structural.length === 0
      ? ''
      : `<h2>Structural changes (${r.structural.length})</h2>${table(
          ['kind', 'plugin', 'handler', 'sequence', 'detail'],
          r.structural.map(
            (c) => `<tr>${cell(c.kind)}${cell(c.plugin)}${cell(c.handler)}${cell(c.sequence)}${cell(c.detail)}</tr>`,
          ),
        )}`,
    r.insufficient.length === 0
      ? ''
      : `<details class="panel"><summary>${formatCount(r.insufficient.length)} handler times with too little data</summary><ul>${r.insufficient
          .map(
            (i) =>
              `<li><span class="mono">${escapeHtml(i.handler)}</span> <span class="muted">${escapeHtml(i.plugin)}${i.sequence ? ` · ${escapeHtml(i.sequence)}` : ''}</span>: ${escapeHtml(i.reason)}</li>`,
          )
          .join('')}</ul></details>`,
  ];
  const body = `<h1>Against the baseline</h1>
<p>${escapeHtml(baselineLabel)}: ${formatCount(s.tested)} handler times tested — <strong>${formatCount(s.regressions)} slower</strong>, ${formatCount(s.improvements)} faster, ${formatCount(s.newErrors)} new error signatures, ${formatCount(s.errorRateIncreases)} error-rate increases, ${formatCount(s.structural)} structural changes, ${formatCount(s.insufficient)} with too little data.</p>
<p class="muted small">${f.handlers === 0 ? 'No release-wide factor (no handler tested).' : `Release-wide, the median handler is ${escapeHtml(pct(f.factor - 1))} (${formatCount(f.handlers)} handlers).`} Mann–Whitney U per handler, Benjamini–Hochberg FDR ${r.options.alpha}, minimum change ${(r.options.minChange * 100).toFixed(0)} %, at least ${r.options.minSamples} timed runs on each side.</p>
${sections.filter((x) => x !== '').join('\n') || '<p>Nothing changed beyond the thresholds.</p>'}`;
  return renderPage(ctx, {
    id: 'compare',
    title: 'Baseline',
    body,
    css: '.small{font-size:12px}.table-wrap{overflow-x:auto}',
  });
}
