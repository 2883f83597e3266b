/**
 * The timeline page: a toolbar, a canvas drawn by the inlined client (web/timeline-client.ts), a details panel
 * and the timeline's columns as a JSON island holding the packed binary blob (timeline-pack.ts). Honours
 * `#beat=<id>` and `#handler=<name>`.
 */
import type { TimelineData } from '../../analyses/timeline.js';
import { ERROR, SELECTED } from '../../model/timeline-colours.js';
import { escapeHtml, jsonForScript, type PageContext, renderPage } from '../html-layout.js';
import { packTimeline } from '../timeline-pack.js';
import { webClientSource } from '../web-client-source.js';
import { windowNote } from './runs-text.js';

export async function renderTimelinePage(ctx: PageContext, timeline: TimelineData): Promise<string> {
  const beats = timeline.beats.startDelta.length;
  const note =
    timeline.axis === 'log-order'
      ? '<div class="note" id="tl-axis-note">This log has no timestamps: runs are laid out in log order and the axis counts log lines, not time. Durations shown are the ones the conductor printed.</div>'
      : '';
  const untimed =
    timeline.untimedBeats > 0
      ? `<div class="note">${escapeHtml(timeline.untimedBeats)} beats had no timestamp and no timed run, and are not drawn.</div>`
      : '';
  // A window laid around a line (`--at`) opens on the beat there (timeline-client.ts reads the line back).
  const around = timeline.window?.aroundLine;
  const part = timeline.window
    ? `<div class="note" id="tl-window-note"${around === undefined ? '' : ` data-around-line="${escapeHtml(around)}"`}>${escapeHtml(windowNote(timeline.window))}.</div>`
    : '';
  const body = `
<div class="tl-head">
  <h1>Execution timeline</h1>
  <span class="muted">${escapeHtml(beats.toLocaleString('en-US'))} beats · ${escapeHtml(timeline.sessions.id.length)} sessions · ${escapeHtml(timeline.runs.id.length.toLocaleString('en-US'))} runs</span>
  <div class="tl-tools">
    <button id="tl-zoom-out" title="Zoom out (S or -)">−</button>
    <button id="tl-zoom-in" title="Zoom in (W or +)">+</button>
    <button id="tl-left" title="Pan left (A or ←)">◀</button>
    <button id="tl-right" title="Pan right (D or →)">▶</button>
    <button id="tl-fit" title="Show everything (0)">Fit</button>
    <button id="tl-session-prev" title="Previous session">‹ session</button>
    <button id="tl-session-next" title="Next session">session ›</button>
    <label class="tl-align" title="Measure each session's times from its own start, so sessions days apart overlap"><input type="checkbox" id="tl-align"> align sessions at their start</label>
    <span id="tl-range" class="mono"></span>
    <input id="tl-search" type="search" placeholder="Search handler, event, sequence… (Enter = next)" autocomplete="off">
    <button id="tl-prev" title="Previous match (Shift+Enter)">↑</button>
    <button id="tl-next" title="Next match (Enter, N)">↓</button>
    <span id="tl-count" class="muted"></span>
  </div>
</div>
${note}${part}${untimed}
<div class="tl-body">
  <div class="tl-canvas-wrap"><canvas id="tl-canvas" tabindex="0" aria-label="Execution timeline"></canvas><div id="tl-tooltip" hidden></div></div>
  <aside id="tl-details" aria-live="polite"></aside>
</div>
<div class="tl-legend muted">Wheel or pinch: zoom · drag: pan · Shift+wheel: scroll lanes · click a session bar to zoom to it ·
<span class="sw" style="background:#8a99ad"></span>run <span class="sw" style="background:#4e79a7"></span>beat
<span class="sw async"></span>async handler (settled after its beat) <span class="sw" style="background:${ERROR}"></span>error <span class="sw selected" style="outline-color:${SELECTED}"></span>selected beat
<span class="sw gap"></span>gap (no log lines)</div>
<script type="application/json" id="timeline-source-url">${jsonForScript(ctx.sourceUrl ?? null)}</script>
<script type="application/json" id="timeline-data">${jsonForScript(await packTimeline(timeline))}</script>`;
  return renderPage(ctx, {
    id: 'timeline',
    title: 'Timeline',
    body,
    css: TIMELINE_CSS,
    fullHeight: true,
    scripts: [await webClientSource('timeline-client')],
  });
}

const TIMELINE_CSS = `
body.full main{margin:0;width:100%}
.tl-head{display:flex;align-items:center;gap:14px;flex-wrap:wrap;margin-bottom:6px}
.tl-head h1{font-size:17px;margin:0}
.tl-tools{display:flex;align-items:center;gap:4px;margin-left:auto;flex-wrap:wrap}
.tl-tools button{min-width:30px;height:28px;border:1px solid #c5ccd5;background:#fff;border-radius:4px;cursor:pointer;font-size:13px}
.tl-tools button:hover{background:#eef1f5}
.tl-align{font-size:12px;display:inline-flex;align-items:center;gap:3px;white-space:nowrap}
#tl-range{min-width:150px;text-align:center;color:#3e4852}
#tl-search{width:280px;height:28px;padding:0 8px;border:1px solid #c5ccd5;border-radius:4px;font-size:13px}
#tl-count{min-width:70px;font-size:12px}
.tl-body{flex:1;min-height:0;display:flex;gap:10px}
.tl-canvas-wrap{flex:1;min-width:0;position:relative;background:#fff;border:1px solid #dde2e8;border-radius:6px;overflow:hidden}
#tl-canvas{display:block;cursor:grab;outline:none}
#tl-canvas:active{cursor:grabbing}
#tl-tooltip{position:absolute;pointer-events:none;background:#1f2933;color:#fff;font-size:12px;padding:4px 8px;border-radius:4px;max-width:420px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;z-index:2}
#tl-details{width:360px;flex:none;overflow:auto;background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:10px 12px;font-size:13px}
@media (min-width:1700px){#tl-details{width:440px}}
#tl-details h3{margin:2px 0 8px;font-size:15px;word-break:break-all}
#tl-details h4{margin:12px 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#616e7c}
.kv{display:flex;gap:8px;padding:2px 0}
.kv .k{width:84px;flex:none;color:#7b8794}
.kv .v{word-break:break-all}
.vs.over{color:#c62828;font-weight:600}.vs.under{color:#2e7d32}
.handler,.baton-block,.error-block{border:1px solid #edf0f3;border-radius:4px;padding:6px 8px;margin:4px 0}
.hname{font-weight:600}
.loc{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px;color:#1d5fbf;word-break:break-all}
.err{color:#c62828;word-break:break-word}
.baton{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.baton.added{color:#2e7d32}.baton.updated{color:#8a5a00}.baton.removed{color:#c62828}
#tl-details pre{white-space:pre-wrap;word-break:break-all;background:#f7f8fa;padding:4px 6px;margin:4px 0;font-size:11px;max-height:140px;overflow:auto}
.permalink{display:inline-block;margin-top:10px;font-size:12px}
.tl-legend{font-size:11px;padding:6px 2px 0;display:flex;gap:6px;align-items:center;flex-wrap:wrap}
.sw{display:inline-block;width:14px;height:9px;border-radius:2px;vertical-align:middle}
.sw.async{background:#a0cbe8;outline:1px dashed #333}
.sw.gap{background:#fff;outline:1px dashed #b8c0cc}
.sw.selected{background:#fff;outline:2px solid}
/* Phones: the page scrolls instead of fitting the viewport, the canvas gets most of the screen height (the
   client sizes the canvas from its wrapper) and the details panel goes below it at full width. */
@media (max-width:700px){
body.full{height:auto;min-height:100vh;overflow:visible}
body.full main{padding:8px}
.tl-tools{margin-left:0}
#tl-range{min-width:0;flex-basis:100%;text-align:left}
#tl-search{width:auto;flex:1;min-width:0}
.tl-tools button{min-width:36px;height:34px}
.tl-body{flex-direction:column}
.tl-canvas-wrap{flex:none;height:max(320px,62vh)}
#tl-details{width:auto;max-height:none}
}
`;
