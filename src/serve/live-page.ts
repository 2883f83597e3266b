/**
 * The live page of `beatscope serve`: the store's counts, the open alerts, the slowest handlers, the failing
 * sequences, the recent findings (live-page-panels.ts) and the latest runs, updated over SSE without a reload,
 * with links to the report pages the server serves (`/reports/<name>.html`).
 * Self-contained (no network but its own server). Everything from the logs is put in with `textContent`, never
 * as HTML. The page passes on the `?token=` it was opened with to its own requests.
 */

import { escapeHtml } from '../reports/html-layout.js';
import { panelsScript } from './live-page-panels.js';

/** Rows the run table keeps; older ones scroll out. */
const MAX_ROWS = 200;

/** A report page the navigation links to. */
export interface LivePageLink {
  readonly name: string;
  readonly title: string;
  /** False for a report the store cannot give (one that needs a code index): shown, not linked. */
  readonly available: boolean;
}

/** `reports`: the report pages, in navigation order (the overview first). */
export function livePage(reports: readonly LivePageLink[]): string {
  const nav = reports
    .map((r) =>
      r.available
        ? `<a href="/reports/${escapeHtml(r.name)}.html" data-report>${escapeHtml(r.title)}</a>`
        : `<span class="off" title="needs a code index">${escapeHtml(r.title)}</span>`,
    )
    .join('');
  const panel = (id: string, page: string, title: string, head: string, wide = false) =>
    `<section class="panel${wide ? ' wide' : ''}"><h2><a href="/reports/${page}.html" data-report>${title}</a></h2>` +
    `<table id="${id}"><thead><tr>${head}</tr></thead><tbody></tbody></table></section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>beatscope live</title>
<link rel="icon" href="data:,">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; }
  h1 { font-size: 1.3rem; margin: 0 0 .8rem; }
  h2 { font-size: 1rem; margin: 0 0 .4rem; }
  h2 a { color: inherit; }
  nav { display: flex; flex-wrap: wrap; gap: .2rem .9rem; margin: 0 0 .8rem; font-size: .9rem; }
  nav a { color: #2457a6; }
  nav .off { color: #99a; }
  .panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(32rem, 1fr)); gap: 1rem; margin: 0 0 1.2rem; }
  .panel { border: 1px solid #dde; border-radius: 6px; padding: .6rem .8rem; min-width: 0; overflow-x: auto; }
  .panel td { white-space: normal; }
  .panel td:first-child { overflow-wrap: anywhere; }
  .panel td.num, .panel td.when { white-space: nowrap; }
  .panel.wide { grid-column: 1 / -1; }
  td.empty { color: #667; }
  td.bad, td.sev-error { color: #b3261e; }
  td.sev-warning { color: #8a5a00; }
  #state { color: #667; font-size: .9rem; }
  .counts { display: flex; gap: 1.2rem; flex-wrap: wrap; margin: 1rem 0; }
  .counts div { border: 1px solid #dde; border-radius: 6px; padding: .5rem .8rem; min-width: 7rem; }
  .counts b { display: block; font-size: 1.4rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid #eef; white-space: nowrap; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr.failed td { color: #b3261e; }
  tr.fresh { animation: fresh 2s ease-out; }
  p.hint { color: #667; margin: .2rem 0 .5rem; font-size: .85rem; }
  #runs tbody tr { cursor: pointer; }
  #runs tbody tr.selected td { background: #eef3ff; }
  tr.run-lines td { white-space: normal; background: #f6f8fa; }
  tr.run-lines pre { max-height: 22rem; max-width: calc(100vw - 4rem); overflow: auto; margin: .3rem 0;
    font-size: .8rem; }
  #alerts { list-style: none; padding: 0; margin: 0 0 1rem; }
  #alerts li { border-left: 4px solid #b3261e; background: #fdecea; padding: .4rem .8rem; margin: .3rem 0; }
  #alerts li b { margin-right: .5rem; }
  @keyframes fresh { from { background: #fff3c4; } to { background: transparent; } }
</style>
</head>
<body>
<h1>beatscope live <span id="state">connecting…</span></h1>
<nav aria-label="reports">${nav}</nav>
<div class="counts">
  <div>sequence runs<b id="count-sequenceRuns">–</b></div>
  <div>failed runs<b id="count-sequenceRunsFailed">–</b></div>
  <div>beat runs<b id="count-beatRuns">–</b></div>
  <div>handler errors<b id="count-handlerErrors">–</b></div>
  <div>lines<b id="count-lines">–</b></div>
  <div>files<b id="count-files">–</b></div>
</div>
<ul id="alerts" aria-label="open alerts"></ul>
<div class="panels">
${panel('slowest', 'heatmap', 'Slowest handlers', '<th>handler</th><th>plugin</th><th>p95</th><th>runs</th><th>errors</th>')}
${panel('failing', 'flows', 'Failing sequences', '<th>sequence</th><th>plugin</th><th>runs with findings</th><th>fitness</th><th>why</th>')}
${panel('findings', 'findings', 'Recent findings', '<th>severity</th><th>finding</th><th>count</th><th>last seen</th>', true)}
</div>
<h2>Latest runs</h2>
<p class="hint">Click a run for its log lines, read from its log file.</p>
<table id="runs">
<thead><tr><th>started</th><th>sequence</th><th>plugin</th><th>status</th><th>beats</th><th>ms</th><th>source</th></tr></thead>
<tbody></tbody>
</table>
<script>
(() => {
  const token = new URLSearchParams(location.search).get('token');
  const q = (path) => token ? path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : path;
  for (const a of document.querySelectorAll('a[data-report]')) a.setAttribute('href', q(a.getAttribute('href')));
${panelsScript()}  const state = document.getElementById('state');
  const body = document.querySelector('#runs tbody');
  const rows = new Map();
  const counts = (s) => {
    for (const key of ['sequenceRuns', 'sequenceRunsFailed', 'beatRuns', 'handlerErrors', 'lines', 'files']) {
      const el = document.getElementById('count-' + key);
      if (el && typeof s[key] === 'number') el.textContent = s[key].toLocaleString('en');
    }
  };
  const cell = (tr, text, cls) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  };
  const upsert = (run, fresh) => {
    const tr = document.createElement('tr');
    tr.dataset.key = run.key;
    tr.dataset.last = String(run.lastLine);
    if (run.status === 'failed') tr.classList.add('failed');
    if (fresh) tr.classList.add('fresh');
    cell(tr, run.startMs == null ? '' : new Date(run.startMs).toISOString().replace('T', ' ').slice(0, 23));
    cell(tr, run.sequence);
    cell(tr, run.plugin ?? '');
    cell(tr, run.status);
    cell(tr, String(run.beats), 'num');
    cell(tr, run.durationMs == null ? '' : String(run.durationMs), 'num');
    cell(tr, run.source.split('/').pop());
    const old = rows.get(run.key);
    if (old) old.replaceWith(tr);
    else body.prepend(tr);
    rows.set(run.key, tr);
    while (body.rows.length > ${MAX_ROWS}) {
      const last = body.rows[body.rows.length - 1];
      rows.delete(last.dataset.key);
      last.remove();
    }
  };
  // A run's log lines (GET /api/lines) in a row under it; a second click closes them. Text only: log content
  // never becomes markup.
  body.addEventListener('click', (e) => {
    const tr = e.target.closest('tr');
    if (!tr || !tr.dataset.key) return;
    const open = body.querySelector('tr.run-lines');
    const again = open && open.previousElementSibling === tr;
    if (open) open.remove();
    for (const s of body.querySelectorAll('tr.selected')) s.classList.remove('selected');
    if (again) return;
    tr.classList.add('selected');
    const row = document.createElement('tr');
    row.className = 'run-lines';
    const td = document.createElement('td');
    td.colSpan = 7;
    const pre = document.createElement('pre');
    pre.textContent = 'reading the log lines …';
    td.appendChild(pre);
    row.appendChild(td);
    tr.after(row);
    fetch(q('/api/lines?ref=' + encodeURIComponent(tr.dataset.key + '-' + tr.dataset.last)))
      .then((r) => r.json())
      .then((d) => {
        if (d.error) {
          pre.textContent = d.error;
          return;
        }
        const width = String(d.lines.length ? d.lines[d.lines.length - 1].line : 0).length;
        const note = d.fileState === 'unchanged' ? '' : ' (' + d.fileState + ' since ingest: only the lines the store keeps)';
        pre.textContent = d.file.path + note + '\\n' + d.lines
          .map((l) => String(l.line).padStart(width) + '  ' + (l.text ?? '(a recognized line: its text is not stored)'))
          .join('\\n');
      });
  });
  const alertList = document.getElementById('alerts');
  const alertKey = (a) => a.rule + ' ' + a.subject; // rule ids hold no space
  const alertItems = new Map();
  // Alerts the stream already told about: the /api/alerts answer may be older than them.
  const streamed = new Set();
  const showAlert = (a, fromStream) => {
    const key = alertKey(a);
    if (fromStream) streamed.add(key);
    else if (streamed.has(key)) return;
    const old = alertItems.get(key);
    if (a.state === 'resolved') {
      if (old) old.remove();
      alertItems.delete(key);
      return;
    }
    if (old) return;
    const li = document.createElement('li');
    li.dataset.rule = a.rule;
    const b = document.createElement('b');
    b.textContent = a.rule + (a.subject ? ' · ' + a.subject : '');
    li.appendChild(b);
    li.appendChild(document.createTextNode(a.message));
    alertList.appendChild(li);
    alertItems.set(key, li);
  };
  fetch(q('/api/alerts')).then((r) => r.json()).then((d) => { for (const a of d.open) showAlert(a, false); });
  fetch(q('/api/runs?limit=${MAX_ROWS}')).then((r) => r.json()).then((d) => {
    for (const run of d.runs) if (!rows.has(run.key)) upsert(run, false);
  });
  const events = new EventSource(q('/api/events'));
  events.addEventListener('hello', (e) => { state.textContent = 'live'; counts(JSON.parse(e.data).summary); });
  events.addEventListener('runs', (e) => {
    const d = JSON.parse(e.data);
    counts(d.summary);
    for (const run of d.runs) upsert(run, true);
    refreshPanels();
  });
  events.addEventListener('alert', (e) => showAlert(JSON.parse(e.data), true));
  events.onerror = () => { state.textContent = 'reconnecting…'; };
})();
</script>
</body>
</html>
`;
}
