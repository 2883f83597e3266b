/**
 * Entry of the timeline page's script (bundled to one IIFE and inlined by reports/web-client-source.ts).
 * Reads the JSON island `#timeline-data`, draws on `#tl-canvas` on demand (one frame per animation frame at
 * most), and exposes `window.__timeline` for tests and the benchmark.
 */
import type { DecodedTimeline, TimelinePayload } from '../reports/timeline-pack.js';
import { alignSessions } from './timeline-align.js';
import { beatDetails, beatNotDrawn, el, runDetails, tooltipText } from './timeline-details.js';
import { AXIS_H, draw, formatAxis, gutterWidth, niceStep, type View } from './timeline-draw.js';
import { buildModel, drawnSessions, hitItem, type Model, openingView, opensAligned } from './timeline-model.js';
import { searchBeats } from './timeline-search.js';
import { attachTouch } from './timeline-touch.js';
import { decodePayload } from './timeline-unpack.js';

declare global {
  interface Window {
    __timeline?: unknown;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Decodes the data island: at once when it is small, after inflating it (a few ms per MB) when it is deflated. */
function start(): void {
  const decoded = decodePayload(JSON.parse($('timeline-data').textContent ?? '{}') as TimelinePayload);
  if (!(decoded instanceof Promise)) {
    show(decoded);
    return;
  }
  decoded.then(show, (e: unknown) => {
    $('tl-details').replaceChildren(el('p', { class: 'err' }, `Could not read the timeline data: ${String(e)}`));
  });
}

function show(data: DecodedTimeline): void {
  // Rebuilt when "align sessions" is toggled (timeline-align.ts); beat, run and handler indexes are the same
  // in both models, so a selection survives the toggle. Sessions far apart open aligned (opensAligned).
  let m = buildModel(data);
  /** The whole trace's extent on its own axis (ms or lines), for the opening text. */
  const extent = m.max - m.min;
  let aligned = opensAligned(m);
  if (aligned) m = buildModel(alignSessions(data));
  $<HTMLInputElement>('tl-align').checked = aligned;
  let sessionShown = -1;
  const canvas = $<HTMLCanvasElement>('tl-canvas');
  const ctx = canvas.getContext('2d')!;
  const details = $('tl-details');
  const tooltip = $('tl-tooltip');
  const search = $<HTMLInputElement>('tl-search');
  const count = $('tl-count');
  const view: View = openingView(m, aligned);
  let width = 0;
  let height = 0;
  /** Label gutter, CSS px: scales with the canvas width (gutterWidth). */
  let gutter = gutterWidth(0);
  let selected = -1;
  let matches: Uint8Array | null = null;
  let matchList: number[] = [];
  let matchAt = -1;
  let pending = false;
  const drawTimes: number[] = [];

  const frame = () => {
    pending = false;
    const t0 = performance.now();
    draw(ctx, m, { view, width, height, selected, matches, aligned, gutter });
    drawTimes.push(performance.now() - t0);
    if (drawTimes.length > 2000) drawTimes.splice(0, 1000);
    canvas.dataset.viewStart = String(view.start);
    canvas.dataset.viewEnd = String(view.end);
    const step = niceStep((view.end - view.start) / 4);
    const reach = Math.max(Math.abs(view.start), Math.abs(view.end));
    $('tl-range').textContent =
      `${formatAxis(view.start, step, data.axis === 'log-order', reach)} – ${formatAxis(view.end, step, data.axis === 'log-order', reach)}`;
  };
  const redraw = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(frame);
    }
  };
  const resize = () => {
    const rect = canvas.parentElement!.getBoundingClientRect();
    width = Math.max(300, rect.width);
    height = Math.max(200, rect.height);
    gutter = gutterWidth(width);
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    redraw();
  };
  const clampScroll = () => {
    view.scrollY = Math.max(0, Math.min(view.scrollY, m.contentHeight - (height - AXIS_H) + 20));
  };
  const scrollBy = (dy: number) => {
    sessionShown = -1;
    view.scrollY += dy;
    clampScroll();
    redraw();
  };
  /** Axis value at canvas x (CSS px). */
  const timeAt = (x: number) => view.start + ((x - gutter) / (width - gutter)) * (view.end - view.start);
  /** A visible span kept between 1 µs (or 0.001 line) and four times the whole trace. */
  const clampSpan = (span: number) => Math.max(1e-3, Math.min((m.max - m.min) * 4, span));
  const zoom = (factor: number, atX = gutter + (width - gutter) / 2) => {
    const t = timeAt(atX);
    const span = clampSpan((view.end - view.start) * factor);
    const ratio = (t - view.start) / (view.end - view.start);
    view.start = t - ratio * span;
    view.end = view.start + span;
    redraw();
  };
  const pan = (dxPx: number) => {
    const dt = (dxPx / (width - gutter)) * (view.end - view.start);
    view.start += dt;
    view.end += dt;
    redraw();
  };
  const showRange = (from?: number, to?: number) => {
    from ??= m.min;
    to ??= m.max;
    const p = Math.max((to - from) * 0.02, 1e-3);
    view.start = from - p;
    view.end = to + p;
    redraw();
  };
  const rowAt = (y: number) => {
    const cy = y - AXIS_H + view.scrollY;
    return m.rows.find((r) => cy >= r.y && cy < r.y + r.h);
  };
  /** The item under a canvas point: which row kind and its index in the data columns. */
  const itemAt = (x: number, y: number): { kind: 'run' | 'beat' | 'handler'; k: number } | null => {
    const row = rowAt(y);
    if (!row?.items || row.kind === 'session' || x < gutter) return null;
    const scale = (width - gutter) / (view.end - view.start);
    const t = view.start + (x - gutter) / scale;
    const i = hitItem(row.items, t, 3 / scale);
    return i < 0 ? null : { kind: row.kind, k: row.items.idx[i]! };
  };

  /** Zooms to a session's extent and scrolls its header to the top. */
  const showSession = (si: number) => {
    const header = m.rows.find((r) => r.kind === 'session' && r.session === si);
    if (header) view.scrollY = header.y;
    clampScroll();
    showRange(m.data.sessions.start[si]!, m.data.sessions.end[si]!);
    sessionShown = si;
  };
  /**
   * The session last zoomed to (session buttons, a click on its bar), else the one whose rows are at the top
   * of the canvas. Tracked because a short last session cannot be scrolled to the top.
   */
  const currentSession = () =>
    sessionShown >= 0 ? sessionShown : (m.rows.find((r) => r.y + r.h > view.scrollY)?.session ?? 0);
  /** Previous/next session that has something drawn (a session of only a header is skipped). */
  const stepSession = (dir: 1 | -1) => {
    const drawn = drawnSessions(m);
    if (drawn.length === 0) return;
    const at = currentSession();
    const next = dir > 0 ? drawn.find((s) => s > at) : drawn.findLast((s) => s < at);
    showSession(next ?? (dir > 0 ? drawn[0]! : drawn.at(-1)!));
  };
  const setAligned = (on: boolean) => {
    if (on === aligned) return;
    const at = currentSession();
    aligned = on;
    m = buildModel(on ? alignSessions(data) : data);
    $<HTMLInputElement>('tl-align').checked = on;
    if (matches !== null) runSearch(search.value);
    if (selected >= 0) reveal(selected);
    else showSession(at);
  };

  /** Zooms and scrolls so a beat is in view with some context around it. */
  const reveal = (beat: number) => {
    tooltip.hidden = true;
    const s = m.beatStart[beat]!;
    const e = m.beatEnd[beat]!;
    const span = Math.max(
      view.end - view.start > (e - s) * 50 ? (e - s) * 8 : view.end - view.start,
      (e - s) * 3,
      1e-2,
    );
    view.start = (s + e) / 2 - span / 2;
    view.end = view.start + span;
    const row = m.rows.find((r) => r.kind === 'beat' && r.lane === data.beats.lane[beat]);
    if (row && (row.y < view.scrollY || row.y > view.scrollY + height - AXIS_H - 40)) view.scrollY = row.y - 60;
    clampScroll();
    redraw();
  };
  const select = (beat: number, andReveal: boolean) => {
    selected = beat;
    details.replaceChildren(
      beat >= 0 ? beatDetails(m, beat) : el('p', { class: 'muted' }, 'Click a beat to see its details.'),
    );
    if (andReveal && beat >= 0) reveal(beat);
    redraw();
  };
  const runSearch = (q: string) => {
    const found = searchBeats(m, q);
    matches = found?.mask ?? null;
    matchList = found?.list ?? [];
    matchAt = -1;
    count.textContent = found ? `${matchList.length} match${matchList.length === 1 ? '' : 'es'}` : '';
    redraw();
  };
  const jump = (dir: 1 | -1) => {
    if (matchList.length === 0) return;
    matchAt = (matchAt + dir + matchList.length) % matchList.length;
    count.textContent = `${matchAt + 1} / ${matchList.length}`;
    select(matchList[matchAt]!, true);
  };
  /** `#beat=<id>`, `#handler=<name or plugin.name>`, optionally `&from=<axis>&to=<axis>` (heatmap cells). */
  const honourHash = () => {
    const params = new URLSearchParams(location.hash.slice(1));
    const beat = params.get('beat');
    const handler = params.get('handler');
    const from = Number(params.get('from'));
    const to = Number(params.get('to'));
    const ranged = params.has('from') && params.has('to') && to > from;
    if (handler !== null) {
      search.value = `handler:${handler}`;
      runSearch(search.value);
      if (!ranged) jump(1);
    }
    // A range is on the trace's own axis (the heatmap's cells): shown unaligned.
    if (ranged) {
      setAligned(false);
      showRange(from, to);
    }
    const note = document.getElementById('tl-window-note');
    if (beat === null) {
      // A window laid around a line (`report timeline --at`): its first beat at or after that line.
      const around = Number(note?.dataset['aroundLine']);
      if (around > 0 && !ranged && handler === null) {
        const lines = m.data.beats.line;
        let at = -1;
        for (let i = 0; i < lines.length; i++) if (lines[i]! >= around && (at < 0 || lines[i]! < lines[at]!)) at = i;
        if (at >= 0) select(at, true);
      }
      return;
    }
    const b = m.beatById(beat);
    if (b !== undefined) select(b, true);
    else details.replaceChildren(beatNotDrawn(beat, note?.textContent ?? null));
  };

  let drag: { x: number; y: number; moved: boolean } | null = null;
  canvas.addEventListener('mousedown', (e) => {
    drag = { x: e.offsetX, y: e.offsetY, moved: false };
  });
  window.addEventListener('mousemove', (e) => {
    if (drag) {
      const r = canvas.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      if (Math.abs(x - drag.x) + Math.abs(y - drag.y) > 3) drag.moved = true;
      if (drag.moved) {
        pan(drag.x - x);
        view.scrollY += drag.y - y;
        clampScroll();
        drag.x = x;
        drag.y = y;
      }
    }
  });
  window.addEventListener('mouseup', (e) => {
    if (drag && !drag.moved && e.target === canvas) {
      const hit = itemAt(e.offsetX, e.offsetY);
      const row = rowAt(e.offsetY);
      if (hit?.kind === 'beat') select(hit.k, false);
      else if (hit?.kind === 'handler') {
        const b = data.handlerRuns.beat[hit.k]!;
        if (b >= 0) select(b, false);
      } else if (hit?.kind === 'run') {
        selected = -1;
        details.replaceChildren(runDetails(m, hit.k));
        redraw();
      } else if (row?.kind === 'session') showSession(row.session);
    }
    drag = null;
  });
  canvas.addEventListener('mousemove', (e) => {
    const hit = drag ? null : itemAt(e.offsetX, e.offsetY);
    tooltip.hidden = hit === null;
    if (hit) {
      tooltip.textContent = tooltipText(m, hit.kind, hit.k);
      tooltip.style.left = `${Math.min(e.offsetX + 14, width - 260)}px`;
      tooltip.style.top = `${e.offsetY + 16}px`;
    }
  });
  canvas.addEventListener('mouseleave', () => {
    tooltip.hidden = true;
  });
  attachTouch(canvas, {
    pan: (dxPx, dyPx) => {
      sessionShown = -1;
      pan(dxPx);
      view.scrollY += dyPx;
      clampScroll();
    },
    pinchStart: (x) => ({ t: timeAt(x), span: view.end - view.start }),
    pinch: (start, scale, x) => {
      tooltip.hidden = true;
      // The time under the fingers' starting midpoint stays under their midpoint now; the span scales by how
      // much the fingers spread (apart: zoom in).
      const span = clampSpan(start.span / scale);
      view.start = start.t - ((x - gutter) / (width - gutter)) * span;
      view.end = view.start + span;
      redraw();
    },
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      if (e.shiftKey) {
        view.scrollY += e.deltaY;
        clampScroll();
        redraw();
      } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) pan(e.deltaX);
      else zoom(Math.exp(e.deltaY * 0.0015), e.offsetX);
    },
    { passive: false },
  );
  window.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement) return;
    const actions: Record<string, () => void> = {
      w: () => zoom(0.8),
      '+': () => zoom(0.8),
      '=': () => zoom(0.8),
      s: () => zoom(1.25),
      '-': () => zoom(1.25),
      a: () => pan(-(width - gutter) * 0.15),
      ArrowLeft: () => pan(-(width - gutter) * 0.15),
      d: () => pan((width - gutter) * 0.15),
      ArrowRight: () => pan((width - gutter) * 0.15),
      ArrowDown: () => scrollBy(40),
      ArrowUp: () => scrollBy(-40),
      '0': () => showRange(),
      f: () => showRange(),
      n: () => jump(1),
      N: () => jump(-1),
    };
    const act = actions[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  });
  $('tl-zoom-in').addEventListener('click', () => zoom(0.5));
  $('tl-zoom-out').addEventListener('click', () => zoom(2));
  $('tl-fit').addEventListener('click', () => showRange());
  $('tl-left').addEventListener('click', () => pan(-(width - gutter) * 0.3));
  $('tl-right').addEventListener('click', () => pan((width - gutter) * 0.3));
  $('tl-prev').addEventListener('click', () => jump(-1));
  $('tl-session-prev').addEventListener('click', () => stepSession(-1));
  $('tl-session-next').addEventListener('click', () => stepSession(1));
  $<HTMLInputElement>('tl-align').addEventListener('change', (e) => setAligned((e.target as HTMLInputElement).checked));
  $('tl-next').addEventListener('click', () => jump(1));
  let searchTimer = 0;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => runSearch(search.value), 150);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      clearTimeout(searchTimer);
      if (matches === null || search.value !== (search.dataset.last ?? '')) runSearch(search.value);
      search.dataset.last = search.value;
      jump(e.shiftKey ? -1 : 1);
    }
  });
  window.addEventListener('resize', resize);
  window.addEventListener('hashchange', honourHash);

  window.__timeline = {
    viewRange: () => [view.start, view.end] as const,
    zoom,
    pan,
    fit: () => showRange(),
    align: setAligned,
    stepSession,
    currentSession,
    select: (beatId: string) => select(m.beatById(beatId) ?? -1, true),
    reveal: (beatId: string) => reveal(m.beatById(beatId) ?? 0),
    selected: () => (selected >= 0 ? m.beatId(selected) : null),
    beatScreenPoint: (beatId: string) => beatPoint(m, beatId, view, width, gutter),
    drawTimes: () => drawTimes.slice(),
    model: { beats: m.beatCount, rows: m.rows.length },
    /** Session index of each beat and the canvas width (tests check beats land on screen). */
    beatSessions: () => Array.from(m.data.beats.lane, (l) => m.data.lanes.session[l] ?? -1),
    width: () => width,
    gutter: () => gutter,
    beatIds: () => Array.from({ length: m.beatCount }, (_, i) => m.beatId(i)),
  };
  details.replaceChildren(
    el(
      'p',
      { class: 'muted' },
      `Click a beat to see its details. ${m.beatCount} beats over ${data.axis === 'time' ? formatAxis(extent, niceStep(extent / 4), false) : `${Math.round(extent)} log lines`}.${aligned ? ' The sessions are far apart, so each is drawn from its own start ("align sessions at their start"; untick it for one time axis).' : ''}`,
    ),
  );
  resize();
  honourHash();
}

/** Canvas coordinates of the middle of a beat's bar, or null when it is off-screen (used by page tests). */
function beatPoint(
  m: Model,
  beatId: string,
  view: View,
  width: number,
  gutter: number,
): { x: number; y: number } | null {
  const b = m.beatById(beatId);
  if (b === undefined) return null;
  const row = m.rows.find((r) => r.kind === 'beat' && r.lane === m.data.beats.lane[b]);
  if (!row) return null;
  const scale = (width - gutter) / (view.end - view.start);
  const mid = (Math.max(m.beatStart[b]!, view.start) + Math.min(m.beatEnd[b]!, view.end)) / 2;
  return { x: gutter + (mid - view.start) * scale, y: AXIS_H + row.y - view.scrollY + row.h / 2 };
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
