/** The site's index page: key numbers of the store and of each report, with links to their pages. */
import type { CoverageReport } from '../analyses/coverage-types.js';
import type { FlowReport } from '../analyses/flow-types.js';
import { handlersByTiming } from '../analyses/handler-performance.js';
import type { HandlerPerformanceReport } from '../analyses/handler-performance-types.js';
import type { StoreSummary } from '../model/index.js';
import { overviewChartsHtml } from './charts/overview-charts.js';
import { escapeHtml, formatCount, formatMs, type PageContext, pageHref, renderPage } from './html-layout.js';
import { duration } from './report-format.js';

export interface OverviewInput {
  readonly summary: StoreSummary;
  readonly heatmap?: HandlerPerformanceReport;
  readonly flows?: FlowReport;
  readonly coverage?: CoverageReport;
  readonly timelineBeats: number;
}

function card(label: string, value: string, opts: { bad?: boolean; id?: string } = {}): string {
  const id = opts.id ? ` id="${escapeHtml(opts.id)}"` : '';
  const text = /^[\d.,%\s—]+[a-z ]*$/i.test(value) && /\d/.test(value) ? '' : ' text';
  return `<div class="card${opts.bad ? ' bad' : ''}${text}"${id}><div class="num">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

export function renderOverviewPage(ctx: PageContext, input: OverviewInput): string {
  const s = input.summary;
  const store = [
    card('sessions', formatCount(s.sessions), { id: 'n-sessions' }),
    card('sequence runs', formatCount(s.sequenceRuns), { id: 'n-runs' }),
    card('failed runs', formatCount(s.sequenceRunsFailed), { bad: s.sequenceRunsFailed > 0 }),
    card('beats', formatCount(s.beatRuns), { id: 'n-beats' }),
    card('handler errors', formatCount(s.handlerErrors), { bad: s.handlerErrors > 0, id: 'n-errors' }),
    card('handlers seen', formatCount(s.handlersSeen.length)),
    card('sequences seen', formatCount(s.sequencesSeen.length)),
    card('time in sessions', duration(s.timeSpanMs)),
    card('log lines', formatCount(s.lines)),
    card('unrecognized lines', formatCount(s.linesUnknown), { bad: s.linesUnknown > 0 }),
    card('gaps', formatCount(s.gaps)),
    card('files', formatCount(s.files)),
  ].join('');
  const sections: string[] = [];
  const h = input.heatmap;
  if (h) {
    const slow = h.slowest[0];
    sections.push(`<section class="panel"><h2><a href="${pageHref('heatmap')}">Handler performance</a></h2>
<div class="cards">
${card('slowest handler (p95)', slow ? slow.name : '—', { id: 'slowest-handler' })}
${card('its p95 handler time', slow ? formatMs(slow.p95) : '—')}
${card('handlers timed', `${formatCount(handlersByTiming(h.handlers).timed.length)} of ${formatCount(h.summary.totalHandlers)}`, { id: 'handlers-timed' })}
${card('orchestration overhead', pct(h.summary.overheadShare))}
</div></section>`);
  }
  const f = input.flows;
  if (f) {
    sections.push(`<section class="panel"><h2><a href="${pageHref('flows')}">Flows</a></h2>
<div class="cards">
${card('conforming runs', pct(f.summary.fitness), { bad: (f.summary.fitness ?? 1) < 1 })}
${card('violations', formatCount(f.summary.violations), { bad: f.summary.violations > 0 })}
${card('sequences run', formatCount(f.summary.sequencesRun))}
${card('sequences defined', f.codeIndex ? formatCount(f.summary.sequencesDefined) : 'no code index')}
</div></section>`);
  }
  const c = input.coverage?.summary;
  if (c) {
    sections.push(`<section class="panel"><h2><a href="${pageHref('coverage')}">Coverage</a></h2>
<div class="cards">
${card('used, untested handlers', formatCount(c.quadrants['used-untested']), { bad: c.quadrants['used-untested'] > 0, id: 'n-untested' })}
${card('runs of untested handlers', formatCount(c.untestedExecutions))}
${card('handlers with a test', pct(c.testedShare))}
${card('never used (dead candidates)', formatCount(c.quadrants.dead))}
</div></section>`);
  }
  sections.push(`<section class="panel"><h2><a href="${pageHref('timeline')}">Timeline</a></h2>
<p>${escapeHtml(formatCount(input.timelineBeats))} beats across ${escapeHtml(formatCount(s.sessions))} sessions: zoom, pan, search and click a beat for its handler, DataBaton diff and errors.
The same trace also exports as Chrome Trace Event JSON for Perfetto UI and speedscope.</p></section>`);
  const body = `<h1>Report overview</h1>
<p class="lead">What the conductor logs say: ${escapeHtml(formatCount(s.sequenceRuns))} sequence runs over ${escapeHtml(formatCount(s.sessions))} sessions.</p>
<div class="cards">${store}</div>
${overviewChartsHtml(input.heatmap, input.flows)}
${sections.join('\n')}`;
  return renderPage(ctx, { id: 'index', title: 'Overview', body });
}
