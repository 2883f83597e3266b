/**
 * The client script of the live page's report panels (live-page.ts): slowest handlers (the heatmap's JSON),
 * failing sequences (the flows report's) and recent findings (the findings report's), fetched from
 * `/api/reports/<name>` on load and again after runs change, at most once per 2 s. Log text goes in with
 * `textContent` only. Expects `q` (adds the token to a path) in scope.
 */
import { REFRESH_MS } from './live-report-script.js';

/** Rows per panel. */
export const PANEL_ROWS = 8;

export function panelsScript(): string {
  return `
  const ms = (v) => v == null ? '' : (v >= 100 ? Math.round(v) : Math.round(v * 10) / 10).toLocaleString('en') + ' ms';
  const pct = (v) => v == null ? '' : Math.round(v * 100) + ' %';
  /** Fills panel \`id\`'s table with one row per item (\`cells\` gives its texts) or a one-cell note. */
  const fill = (id, items, cells, empty) => {
    const tbody = document.querySelector('#' + id + ' tbody');
    const rows = items.slice(0, ${PANEL_ROWS}).map((item) => {
      const tr = document.createElement('tr');
      for (const [text, cls] of cells(item)) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.appendChild(td);
      }
      return tr;
    });
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = 9;
      td.className = 'empty';
      td.textContent = empty;
      tr.appendChild(td);
      rows.push(tr);
    }
    tbody.replaceChildren(...rows);
  };
  const report = (name) => fetch(q('/api/reports/' + name)).then((r) => r.ok ? r.json() : null);
  const panels = async () => {
    const [heatmap, flows, findings] = await Promise.all([report('heatmap'), report('flows'), report('findings')]);
    if (heatmap) fill('slowest', heatmap.handlers.filter((h) => h.timing && h.timing.p95 != null), (h) => [
      [h.name], [h.plugin ?? ''], [ms(h.timing.p95), 'num'], [h.executions.toLocaleString('en'), 'num'],
      [h.errors ? h.errors.toLocaleString('en') : '', 'num bad'],
    ], 'no timed handler runs yet');
    if (flows) fill('failing', flows.sequences.filter((s) => s.runs > s.conformingRuns), (s) => [
      [s.sequenceName], [s.pluginId ?? ''], [(s.runs - s.conformingRuns).toLocaleString('en') + ' / ' + s.runs.toLocaleString('en'), 'num'],
      [pct(s.fitness), 'num'], [Object.entries(s.violations).map(([k, n]) => k + ' ' + n).join(', ')],
    ], 'every run conforms');
    if (findings) {
      const recent = [...findings.findings].sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
      fill('findings', recent, (f) => [
        [f.severity, 'sev-' + f.severity], [f.title], [f.count.toLocaleString('en'), 'num'],
        [f.lastSeen ? f.lastSeen.replace('T', ' ').slice(0, 19) : '', 'when'],
      ], 'no findings');
    }
  };
  let panelsDue = null;
  let panelsAt = 0;
  const refreshPanels = () => {
    if (panelsDue) return;
    panelsDue = setTimeout(() => {
      panelsDue = null;
      panelsAt = performance.now();
      panels().catch(() => {});
    }, Math.max(0, ${REFRESH_MS} - (performance.now() - panelsAt)));
  };
  panelsAt = performance.now();
  panels().catch(() => {});
`;
}
