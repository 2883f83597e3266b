/**
 * The heatmap page's per-handler latency charts: for each of the slowest timed handlers, its handler-time
 * histogram and its p95 per session (charts/handler-charts.ts), one handler shown at a time. A select, a click
 * on a row of the slowest table or on a heatmap row label picks which, with no server: every chart is in the
 * page, a small inline script switches between them, and without script a `#hc-N` link still shows its
 * handler (CSS `:target`). Ids are positions in `handlers`, never log text; names and plugins are escaped.
 */
import { handlersByTiming } from '../../analyses/handler-performance.js';
import type { HandlerPerformance, HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import { CHART_WIDTH, latencyHistogramSvg, p95BySessionSvg } from '../charts/handler-charts.js';
import { escapeHtml, formatCount, formatMs } from '../html-layout.js';

/** Handlers charted, slowest first: as many as the heatmap shows rows. */
export const CHARTED = 30;

/** Element id of the charts of `handlers[position]`. */
export function chartId(position: number): string {
  return `hc-${position}`;
}

/** Positions in `r.handlers` of the handlers that get charts (timed ones, slowest first, at most CHARTED). */
export function chartedPositions(r: HandlerPerformanceReport): Set<number> {
  const timed = new Set(handlersByTiming(r.handlers).timed.slice(0, CHARTED));
  const out = new Set<number>();
  r.handlers.forEach((h, i) => {
    if (timed.has(h)) out.add(i);
  });
  return out;
}

const label = (h: HandlerPerformance) => (h.plugin ? `${h.plugin}.${h.name}` : h.name);

function handlerBlock(h: HandlerPerformance, position: number, shown: boolean): string {
  const sessions = h.p95BySession.length;
  return `<section class="hc${shown ? ' on' : ''}" id="${chartId(position)}">
<h3><span class="hc-name">${escapeHtml(h.name)}</span> <span class="muted">${escapeHtml(h.plugin ?? '')}</span></h3>
<p class="muted">p95 ${escapeHtml(formatMs(h.timing.p95))} · p50 ${escapeHtml(formatMs(h.timing.p50))} · max ${escapeHtml(formatMs(h.timing.max))} · ${escapeHtml(formatCount(h.timedExecutions))} timed run${h.timedExecutions === 1 ? '' : 's'} in ${escapeHtml(formatCount(sessions))} session${sessions === 1 ? '' : 's'}</p>
<div class="hc-grid">
<figure class="chart hc-hist"><figcaption>Handler time distribution (p95 bin in orange)</figcaption>${latencyHistogramSvg(h.histogram, h.timing.p95)}</figure>
<figure class="chart hc-p95"><figcaption>p95 handler time per session</figcaption>${p95BySessionSvg(h.p95BySession, h.timing.p95)}</figure>
</div></section>`;
}

/** The section's HTML ('' when no handler was timed). The first (slowest) handler is shown until one is picked. */
export function handlerChartsSection(r: HandlerPerformanceReport): string {
  const positions = [...chartedPositions(r)];
  if (positions.length === 0) return '';
  const options = positions
    .map((p, i) => `<option value="${chartId(p)}">${i + 1}. ${escapeHtml(label(r.handlers[p]!))}</option>`)
    .join('');
  const blocks = positions.map((p, i) => handlerBlock(r.handlers[p]!, p, i === 0)).join('\n');
  return `<h2>Latency of one handler</h2>
<div class="panel hcs" id="handler-charts">
<label class="hc-select">Handler <select id="hc-select">${options}</select></label>
<span class="muted hc-hint">or click a handler in the table above or a row label of the heatmap below</span>
${blocks}
</div>`;
}

/**
 * Switches the shown handler: the select, clicks on `a.hc-pick` links and `tr[data-hc]` rows, and a `#hc-N`
 * fragment (on load and when it changes; any other fragment, such as a heatmap cell's, leaves it alone). Adds `js` to the section, which turns off the `:target` fallback of HANDLER_CHARTS_CSS.
 */
export const HANDLER_CHARTS_SCRIPT = `(()=>{
const box=document.getElementById('handler-charts');if(!box)return;
box.classList.add('js');
const sel=document.getElementById('hc-select');
function show(id,scroll){
  const t=document.getElementById(id);
  if(!t||!t.classList.contains('hc'))return false;
  for(const s of box.querySelectorAll('.hc'))s.classList.toggle('on',s===t);
  sel.value=id;
  if(scroll)box.scrollIntoView({block:'start',behavior:'smooth'});
  return true;
}
sel.addEventListener('change',()=>show(sel.value,false));
document.addEventListener('click',(e)=>{
  const el=e.target instanceof Element?e.target:null;if(!el)return;
  const a=el.closest('a.hc-pick');
  if(a){if(show(a.getAttribute('href').slice(1),true))e.preventDefault();return;}
  if(el.closest('a'))return;
  const row=el.closest('tr[data-hc]');
  if(row)show(row.getAttribute('data-hc'),true);
});
// Ids are ASCII (hc-N): the raw fragment is compared, never decoded (a stray % would throw).
const fromHash=()=>{if(location.hash)show(location.hash.slice(1),false);};
window.addEventListener('hashchange',fromHash);
fromHash();
})();`;

export const HANDLER_CHARTS_CSS = `
.hc{display:none}
.hc.on{display:block}
.hcs:not(.js) .hc:target{display:block}
.hcs:not(.js):has(.hc:target) .hc.on:not(:target){display:none}
.hcs:not(.js) .hc-select,.hcs:not(.js) .hc-hint{display:none}
.hc-select select{font:inherit;margin-left:6px;max-width:100%}
.hc-hint{font-size:12px;margin-left:10px}
.hc h3{margin-top:14px}
.hc .hc-name{overflow-wrap:anywhere}
.hc-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,${CHART_WIDTH}px),1fr));gap:16px 32px}
.hc-grid svg{display:block;width:100%;max-width:${CHART_WIDTH}px;height:auto}
.hc-grid .chart{margin:4px 0 0;min-width:0}
tr[data-hc]{cursor:pointer}
a.hc-pick{text-decoration:none}
@media (max-width:700px){.hc-hint{display:block;margin:4px 0 0}.hc-select{display:block}}
`;
