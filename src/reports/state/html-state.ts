/** The state page: one panel per DataBaton key with its writers and conflicting writes, all log text escaped. */
import type { StateReport } from '../../analyses/state/state-types.js';
import { escapeHtml, formatCount, type PageContext, renderPage, sourceHtml } from '../html-layout.js';
import { shapesText } from './state-text.js';

const MAX_KEYS = 300;
const iso = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 23));

export function renderStatePage(ctx: PageContext, report: StateReport): string {
  const s = report.summary;
  const panels = report.keys.slice(0, MAX_KEYS).map((k) => {
    const rows = k.writers
      .map(
        (
          w,
        ) => `<tr><td>${escapeHtml(w.plugin ?? '—')}</td><td class="mono">${escapeHtml(w.handler)}</td><td>${escapeHtml(w.sequence)}</td>
<td class="num">${escapeHtml(formatCount(w.count))}</td><td class="num">${w.added}/${w.updated}/${w.removed}</td><td class="nowrap">${escapeHtml(iso(w.firstMs))}</td><td class="nowrap">${escapeHtml(iso(w.lastMs))}</td><td class="mono">${escapeHtml(shapesText(w.shapes))}</td></tr>`,
      )
      .join('');
    const conflicts =
      k.conflictCount === 0
        ? ''
        : `<p><span class="pill warning">${formatCount(k.conflictCount)} conflicting requests</span></p><ul>${k.conflicts
            .slice(0, 10)
            .map((c) => `<li class="mono">${escapeHtml(c.requestId)}: ${escapeHtml(c.handlers.join(', '))}</li>`)
            .join('')}</ul>`;
    const readers = !report.readersIndexed
      ? ''
      : k.readers.length === 0
        ? '<p class="muted">No handler source reads this key.</p>'
        : `<p>Read by ${k.readers
            .map(
              (r) =>
                `<span class="mono">${escapeHtml(r.handler)}</span> (${escapeHtml(r.plugin ?? '—')}, ${sourceHtml(r.file, r.line, ctx.sourceUrl)})`,
            )
            .join(', ')}</p>`;
    const pills = `<span class="pill">${formatCount(k.writers.length)} writers</span> <span class="pill">${formatCount(k.readers.length)} readers</span>${
      report.readersIndexed && k.readers.length === 0 ? ' <span class="pill warning">unread</span>' : ''
    }${k.writers.length === 0 ? ' <span class="pill warning">never written</span>' : ''}`;
    return `<details class="panel state-key"><summary class="mono"><strong>${escapeHtml(k.key)}</strong> ${pills}</summary>${readers}
<table><thead><tr><th>plugin</th><th>handler</th><th>sequence</th><th class="num">writes</th><th class="num">+/~/−</th><th>first</th><th>last</th><th>value shapes</th></tr></thead><tbody>${rows}</tbody></table>${conflicts}</details>`;
  });
  const more =
    report.keys.length > MAX_KEYS
      ? `<p class="muted">… ${report.keys.length - MAX_KEYS} more keys (see state.json)</p>`
      : '';
  const body = `<h1>DataBaton state</h1>
<p>${formatCount(s.keys)} keys, ${formatCount(s.writes)} writes, ${formatCount(s.keysWithConflicts)} keys written by several handlers within one request; ${formatCount(s.unattributedWrites)} change lines name no handler.${
    report.readersIndexed
      ? ` ${formatCount(s.writtenNotRead)} keys are written but read by no handler's source; ${formatCount(s.readNotWritten)} are read but never written in production.`
      : ''
  }</p>
${panels.join('\n')}${more}
${report.notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('\n')}`;
  return renderPage(ctx, { id: 'state', title: 'State', body });
}
