/**
 * Coverage page: production use × tests as four quadrants with counts and handler lists (riskiest first:
 * ran in production, no test), per-plugin numbers, hot paths and handlers the code index does not know.
 */
import type { CoverageReport, HandlerCoverage, Quadrant } from '../../analyses/coverage-types.js';
import { escapeHtml, formatCount, type PageContext, renderPage, sourceHtml } from '../html-layout.js';
import type { TimelineIndex } from '../timeline-index.js';

const QUADRANTS: readonly { id: Quadrant; title: string; hint: string; cls: string }[] = [
  { id: 'used-untested', title: 'Used, untested', hint: 'runs in production with no test: the risk', cls: 'q-risk' },
  { id: 'used-tested', title: 'Used and tested', hint: 'runs in production and has a test', cls: 'q-good' },
  { id: 'tested-unused', title: 'Tested, never used', hint: 'has a test but never ran in these logs', cls: 'q-info' },
  { id: 'dead', title: 'Neither', hint: 'no test and never ran: a dead-code candidate', cls: 'q-dead' },
];
const MAX_LIST = 60;

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const timelineLink = (h: { handler: string; pluginId: string | null }) =>
  `timeline.html#handler=${encodeURIComponent(h.pluginId ? `${h.pluginId}.${h.handler}` : h.handler)}`;

function handlerRow(h: HandlerCoverage, sourceUrl?: string): string {
  const name =
    h.executions > 0 ? `<a href="${escapeHtml(timelineLink(h))}">${escapeHtml(h.handler)}</a>` : escapeHtml(h.handler);
  return `<tr><td>${name}<div class="muted">${escapeHtml(h.pluginId ?? '')}</div></td><td class="num">${escapeHtml(formatCount(h.executions))}</td>
<td class="num">${h.errors > 0 ? `<span class="pill error">${escapeHtml(h.errors)}</span>` : '0'}</td><td class="num">${escapeHtml(h.tests)}</td>
<td class="mono">${sourceHtml(h.sourceFile, h.sourceLine, sourceUrl)}</td></tr>`;
}

function quadrant(r: CoverageReport, q: (typeof QUADRANTS)[number], sourceUrl?: string): string {
  const list = r.handlers.filter((h) => h.quadrant === q.id);
  const shown = list.slice(0, MAX_LIST);
  const more =
    list.length > shown.length ? `<p class="muted">… ${list.length - shown.length} more (see the JSON report)</p>` : '';
  const table = shown.length
    ? `<table><thead><tr><th>handler</th><th class="num">runs</th><th class="num">errors</th><th class="num">tests</th><th>source</th></tr></thead><tbody>${shown.map((h) => handlerRow(h, sourceUrl)).join('')}</tbody></table>`
    : '<p class="muted">none</p>';
  return `<section class="panel quadrant ${q.cls}" id="q-${q.id}"><h3>${escapeHtml(q.title)} <span class="qcount">${escapeHtml(r.summary.quadrants[q.id])}</span></h3>
<p class="muted">${escapeHtml(q.hint)}</p><div class="qlist">${table}${more}</div></section>`;
}

function pluginsTable(r: CoverageReport): string {
  const rows = r.plugins.map(
    (
      p,
    ) => `<tr><td>${escapeHtml(p.pluginId)}</td><td class="num">${escapeHtml(p.defined)}</td><td class="num">${escapeHtml(p.used)}</td>
<td class="num">${escapeHtml(p.tested)}</td><td class="num">${escapeHtml(p.quadrants['used-untested'])}</td><td class="num">${escapeHtml(formatCount(p.executions))}</td>
<td class="num">${escapeHtml(formatCount(p.untestedExecutions))}</td></tr>`,
  );
  return `<table id="plugins"><thead><tr><th>plugin</th><th class="num">defined</th><th class="num">used</th><th class="num">tested</th>
<th class="num">used, untested</th><th class="num">runs</th><th class="num">runs of untested</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function simpleList(title: string, items: CoverageReport['unknownHandlers']): string {
  if (items.length === 0) return '';
  const rows = items.map(
    (h) =>
      `<tr><td><a href="${escapeHtml(timelineLink(h))}">${escapeHtml(h.handler)}</a></td><td>${escapeHtml(h.pluginId ?? '')}</td><td class="num">${escapeHtml(formatCount(h.executions))}</td></tr>`,
  );
  return `<h2>${escapeHtml(title)}</h2><div class="panel"><table><thead><tr><th>handler</th><th>plugin</th><th class="num">runs</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function renderCoveragePage(ctx: PageContext, r: CoverageReport, _index: TimelineIndex): string {
  const s = r.summary;
  const card = (label: string, value: string, id = '') =>
    `<div class="card"${id ? ` id="${id}"` : ''}><div class="num">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
  const body = `<h1>Coverage: production use × tests</h1>
<p class="lead"><strong id="untested-count">${escapeHtml(s.quadrants['used-untested'])}</strong> handlers run in production without a test (${escapeHtml(formatCount(s.untestedExecutions))} of ${escapeHtml(formatCount(s.executions))} runs).</p>
${r.notes.map((n) => `<div class="note">${escapeHtml(n)}</div>`).join('')}
<div class="cards">${card('handlers defined', formatCount(s.defined))}${card('used in production', pct(s.usedShare))}${card('with a test', pct(s.testedShare))}${card('runs of untested handlers', formatCount(s.untestedExecutions))}</div>
<div class="grid2">${QUADRANTS.map((q) => quadrant(r, q, ctx.sourceUrl)).join('')}</div>
<h2>Per plugin</h2><div class="panel">${pluginsTable(r)}</div>
${simpleList('Hot paths (most executed)', r.hotPaths)}
${simpleList('Ran in production, unknown to the code index', r.unknownHandlers)}`;
  return renderPage(ctx, { id: 'coverage', title: 'Coverage', body, css: COVERAGE_CSS });
}

const COVERAGE_CSS = `
.quadrant h3{margin-top:0;display:flex;align-items:baseline;gap:8px}
.qcount{font-size:22px;font-weight:650}
.quadrant .qlist{max-height:420px;overflow:auto}
.quadrant td.mono{overflow-wrap:anywhere;min-width:180px}
.q-risk{border-top:4px solid #c62828}.q-good{border-top:4px solid #2e7d32}.q-info{border-top:4px solid #1d5fbf}.q-dead{border-top:4px solid #9aa5b1}
`;
