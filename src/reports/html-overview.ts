/**
 * The site's index page: key numbers of the store, then one panel per computed report (its definition's `card`),
 * each linking to the report's page.
 */
import type { StoreSummary } from '../model/index.js';
import { escapeHtml, formatCount, type PageContext, pageHref, renderPage } from './html-layout.js';
import { counted, duration } from './report-format.js';

/**
 * One number with its label. `value` and `label` are escaped here. `bad` colours the number as an error, `warn` as
 * a warning (the findings' severity colours).
 */
export function overviewCard(
  label: string,
  value: string,
  opts: { bad?: boolean; warn?: boolean; id?: string } = {},
): string {
  const id = opts.id ? ` id="${escapeHtml(opts.id)}"` : '';
  const text = /^[\d.,%\s—]+[a-z ]*$/i.test(value) && /\d/.test(value) ? '' : ' text';
  const tone = opts.bad ? ' bad' : opts.warn ? ' warn' : '';
  return `<div class="card${tone}${text}"${id}><div class="num">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

/** A report's panel: its title linking to its page, and trusted inner HTML (cards or a paragraph). */
export function overviewPanel(page: string, title: string, inner: string): string {
  return `<section class="panel"><h2><a href="${pageHref(page)}">${escapeHtml(title)}</a></h2>
${inner}</section>`;
}

export const overviewPct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;

/** `panels`: trusted HTML, one per computed report, in registry order. */
export function renderOverviewPage(ctx: PageContext, summary: StoreSummary, panels: readonly string[]): string {
  const s = summary;
  const card = overviewCard;
  const store = [
    card('sessions', formatCount(s.sessions), { id: 'n-sessions' }),
    card('sequence runs', formatCount(s.sequenceRuns), { id: 'n-runs' }),
    card('failed runs', formatCount(s.sequenceRunsFailed), { bad: s.sequenceRunsFailed > 0 }),
    card('beats', formatCount(s.beatRuns), { id: 'n-beats' }),
    card('handler errors', formatCount(s.handlerErrors), { bad: s.handlerErrors > 0, id: 'n-errors' }),
    // Distinct names (StoreSummary.handlersSeen): a name two plugins define counts once, where the heatmap's
    // handlers are name × plugin.
    card('handler names seen', formatCount(s.handlersSeen.length)),
    card('sequences seen', formatCount(s.sequencesSeen.length)),
    card('time in sessions', duration(s.timeSpanMs)),
    card('log lines', formatCount(s.lines)),
    card('unrecognized lines', formatCount(s.linesUnknown), { bad: s.linesUnknown > 0 }),
    card('gaps', formatCount(s.gaps)),
    card('files', formatCount(s.files)),
  ].join('');
  const body = `<h1>Report overview</h1>
<p class="lead">What the conductor logs say: ${escapeHtml(counted(s.sequenceRuns, 'sequence run'))} over ${escapeHtml(counted(s.sessions, 'session'))}.</p>
<div class="cards">${store}</div>
${panels.join('\n')}`;
  return renderPage(ctx, { id: 'index', title: 'Overview', body });
}
