/**
 * Canvas drawing of one frame. Only rows inside the viewport and items inside the visible axis range are
 * touched; runs of items narrower than a pixel collapse into one density bar per pixel column (found by binary
 * search, so a zoomed-out frame costs O(rows × pixels × log n), not O(items)).
 */
import { ERROR, SELECTED } from '../model/timeline-colours.js';
import { type ItemList, lowerBound, type Model, type Row } from './timeline-model.js';

export interface View {
  /** Visible axis range (ms on the time axis, lines on the log-order axis). */
  start: number;
  end: number;
  /** Vertical scroll, CSS px. */
  scrollY: number;
}

export interface DrawState {
  readonly view: View;
  readonly width: number;
  readonly height: number;
  /** Beat index selected, or -1. */
  readonly selected: number;
  /** Search matches by beat, or null when no search is active. */
  readonly matches: Uint8Array | null;
  /** Times are measured from each session's own start (timeline-align.ts): the axis says so. */
  readonly aligned?: boolean;
  /** Width of the label gutter left of the plot, CSS px (`gutterWidth(width)`). */
  readonly gutter: number;
}

/** Label gutter bounds, CSS px: the full width on a desktop, down to the minimum on a phone. */
export const GUTTER_MAX = 168;
export const GUTTER_MIN = 90;

/**
 * The label gutter for a canvas `width` CSS px wide: a quarter of it, within [GUTTER_MIN, GUTTER_MAX]; 168 px
 * from 672 px up, 90 px on a 390 px phone (whose canvas is about 366 px), which leaves the plot ~75% of the
 * width instead of half. Labels that do not fit are cut with an ellipsis.
 */
export function gutterWidth(width: number): number {
  return Math.round(Math.min(GUTTER_MAX, Math.max(GUTTER_MIN, width / 4)));
}
export const AXIS_H = 26;

const PALETTE = [
  '#4e79a7',
  '#59a14f',
  '#9c755f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#8cd17d',
  '#a0cbe8',
  '#f1ce63',
];
/** Fills light enough to need dark label text. */
const LIGHT = new Set(['#76b7b2', '#edc948', '#ff9da7', '#8cd17d', '#a0cbe8', '#f1ce63', '#8a99ad']);

function hue(key: number): string {
  return PALETTE[(Math.imul(key, 2654435761) >>> 0) % PALETTE.length] ?? PALETTE[0]!;
}

export function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * Axis label: offset from the trace start (time axis) or a line number (log-order axis). On an axis that reaches
 * a minute or more (`reach`: its largest offset, by default this one) offsets read as a clock (`0m55s`, `4m05.5s`,
 * `102d00h58m58.184s`), so one axis never mixes `55 s` with `1m00s`; just enough decimals for neighbouring ticks
 * to differ.
 */
export function formatAxis(value: number, step: number, logOrder: boolean, reach = Math.abs(value)): string {
  if (logOrder) return `line ${Math.round(value)}`;
  if (step >= 60_000) return clockOffset(value, step >= 3_600_000 ? null : 0);
  const secondsDigits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step / 1000) + 1e-9)));
  if (reach >= 60_000) return clockOffset(value, secondsDigits);
  if (step >= 1000 || Math.abs(value) >= 1000) return `${fixed(value / 1000, secondsDigits)} s`;
  return `${fixed(value, Math.max(0, secondsDigits - 3))} ms`;
}

/** `value.toFixed(digits)`, without the sign of a value that rounds to zero (`-0.3` is `0`, not `-0`). */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * `4m05s`, `5h04m07.25s`, `102d03h04m07s`; seconds left out (`null` digits) when the ticks are hours apart,
 * except under an hour. Rounded once, to the last digit shown, so never `9m60s`.
 */
function clockOffset(ms: number, secondsDigits: number | null): string {
  const unit = 10 ** (secondsDigits ?? 0);
  const scaled = Math.round((Math.abs(ms) / 1000) * unit);
  const total = Math.floor(scaled / unit);
  const sign = ms < 0 && scaled > 0 ? '-' : '';
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  const fraction = secondsDigits ? `.${String(scaled - total * unit).padStart(secondsDigits, '0')}` : '';
  const ss = `${two(total % 60)}${fraction}s`;
  if (d > 0) return `${sign}${d}d${two(h)}h${two(m)}m${secondsDigits === null ? '' : ss}`;
  if (h > 0) return `${sign}${h}h${two(m)}m${secondsDigits === null ? '' : ss}`;
  return `${sign}${m}m${ss}`;
}

export function draw(ctx: CanvasRenderingContext2D, m: Model, st: DrawState): void {
  const { view, width, height, gutter } = st;
  const scale = (width - gutter) / (view.end - view.start);
  const X = (t: number) => gutter + (t - view.start) * scale;
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const top = AXIS_H;
  const d = m.data;
  const step = niceStep(110 / scale);
  ctx.strokeStyle = '#eceff3';
  ctx.beginPath();
  for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) {
    const x = Math.round(X(t)) + 0.5;
    ctx.moveTo(x, top);
    ctx.lineTo(x, height);
  }
  ctx.stroke();

  for (const row of m.rows) {
    const y = top + row.y - view.scrollY;
    if (y + row.h < top || y > height) continue;
    if (row.kind === 'session') {
      ctx.fillStyle = '#eef1f5';
      ctx.fillRect(gutter, y, width - gutter, row.h);
      const sx0 = X(d.sessions.start[row.session]!);
      const sx1 = X(d.sessions.end[row.session]!);
      ctx.fillStyle = '#d7dde6';
      ctx.fillRect(Math.max(gutter, sx0), y + 4, Math.max(1, Math.min(width, sx1) - Math.max(gutter, sx0)), row.h - 8);
      drawGaps(ctx, m, row, y, X, width, gutter);
      continue;
    }
    if (row.items) drawItems(ctx, m, row, row.items, y, X, scale, st);
    if (row.kind === 'beat') drawErrors(ctx, m, row, y, X, width, gutter);
  }
  drawGutter(ctx, m, st);
  drawAxis(ctx, m, st, X, step);
}

function drawGaps(
  ctx: CanvasRenderingContext2D,
  m: Model,
  row: Row,
  y: number,
  X: (t: number) => number,
  width: number,
  gutter: number,
) {
  const g = m.data.gaps;
  for (let i = 0; i < g.session.length; i++) {
    if (g.session[i] !== row.session) continue;
    const x0 = Math.max(gutter, X(g.start[i]!));
    const x1 = Math.min(width, X(g.end[i]!));
    if (x1 <= x0) continue;
    ctx.fillStyle = '#fff';
    ctx.fillRect(x0, y + 4, x1 - x0, row.h - 8);
    ctx.strokeStyle = '#b8c0cc';
    ctx.setLineDash([3, 3]);
    ctx.strokeRect(x0 + 0.5, y + 4.5, x1 - x0 - 1, row.h - 9);
    ctx.setLineDash([]);
    if (x1 - x0 > 70) {
      ctx.fillStyle = '#6b7480';
      const seconds = (g.end[i]! - g.start[i]!) / 1000;
      ctx.fillText(`gap ${seconds.toFixed(1)} s`, x0 + 4, y + row.h / 2, x1 - x0 - 8);
    }
  }
}

function itemStyle(
  m: Model,
  row: Row,
  k: number,
  st: DrawState,
): { fill: string; async: boolean; label: string; dim: boolean } {
  const d = m.data;
  if (row.kind === 'run') {
    const failed = m.s[d.runs.status[k]!] === 'failed';
    return { fill: failed ? ERROR : '#8a99ad', async: false, label: m.s[d.runs.name[k]!] ?? '', dim: false };
  }
  if (row.kind === 'beat') {
    const set = d.handlerSets[d.beats.handlerSet[k]!] ?? [];
    const first = set[0];
    const name = first === undefined ? (m.s[d.beats.event[k]!] ?? '') : (m.s[d.handlers.name[first]!] ?? '');
    const failed = (d.beats.flags[k]! & 1) !== 0;
    const dim = st.matches !== null && st.matches[k] === 0;
    return { fill: failed ? ERROR : hue(d.beats.plugin[k]! + 1), async: false, label: name, dim };
  }
  const h = d.handlerRuns;
  const beat = h.beat[k]!;
  const dim = st.matches !== null && (beat < 0 || st.matches[beat] === 0);
  const failed = (h.flags[k]! & 1) !== 0;
  return {
    fill: failed ? ERROR : hue(h.handler[k]! + 3),
    async: (h.flags[k]! & 2) !== 0,
    label: m.s[d.handlers.name[h.handler[k]!]!] ?? '',
    dim,
  };
}

function drawItems(
  ctx: CanvasRenderingContext2D,
  m: Model,
  row: Row,
  items: ItemList,
  y: number,
  X: (t: number) => number,
  scale: number,
  st: DrawState,
) {
  const { view, width, gutter } = st;
  const y0 = y + 2;
  const h = row.h - 4;
  let i = lowerBound(items.start, view.start - items.maxLen);
  const n = items.idx.length;
  while (i < n) {
    const s = items.start[i]!;
    if (s > view.end) break;
    const x0 = X(s);
    const x1 = X(items.end[i]!);
    if (x1 < gutter) {
      i++;
      continue;
    }
    if (x1 - x0 < 1) {
      // Density bar: every item starting inside this pixel column, found by binary search.
      const px = Math.floor(x0);
      const j = Math.max(i + 1, lowerBound(items.start, view.start + (px + 1 - gutter) / scale, i + 1));
      const count = j - i;
      const style = itemStyle(m, row, items.idx[i]!, st);
      ctx.globalAlpha = style.dim ? 0.15 : Math.min(1, 0.45 + 0.12 * count);
      ctx.fillStyle = style.fill;
      if (px >= gutter) ctx.fillRect(px, y0, 1, h);
      i = j;
      continue;
    }
    const k = items.idx[i]!;
    const style = itemStyle(m, row, k, st);
    const left = Math.max(gutter, x0);
    const right = Math.min(width, x1);
    ctx.globalAlpha = style.dim ? 0.15 : style.async ? 0.55 : 1;
    ctx.fillStyle = style.fill;
    ctx.fillRect(left, y0, right - left, h);
    if (style.async) {
      // Async handler settled after its beat: dashed outline marks the part the beat did not await.
      ctx.globalAlpha = 1;
      ctx.setLineDash([4, 2]);
      ctx.strokeStyle = '#333';
      ctx.strokeRect(left + 0.5, y0 + 0.5, right - left - 1, h - 1);
      ctx.setLineDash([]);
    }
    if (row.kind === 'beat' && k === st.selected) {
      ctx.globalAlpha = 1;
      ctx.lineWidth = 2;
      ctx.strokeStyle = SELECTED;
      ctx.strokeRect(left - 1, y0 - 1, right - left + 2, h + 2);
      ctx.lineWidth = 1;
    }
    if (right - left > 36 && h >= 10) {
      ctx.globalAlpha = style.dim ? 0.4 : 1;
      ctx.fillStyle = LIGHT.has(style.fill) ? '#1f2933' : '#fff';
      ctx.fillText(fitText(ctx, style.label, right - left - 6), left + 3, y0 + h / 2);
    }
    ctx.globalAlpha = 1;
    i++;
  }
  ctx.globalAlpha = 1;
}

/** The label cut with an ellipsis to fit `width` px (fillText's maxWidth would squash it instead). */
function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let n = Math.floor((text.length * width) / ctx.measureText(text).width);
  while (n > 0 && ctx.measureText(`${text.slice(0, n)}…`).width > width) n--;
  return n > 0 ? `${text.slice(0, n)}…` : '';
}

function drawErrors(
  ctx: CanvasRenderingContext2D,
  m: Model,
  row: Row,
  y: number,
  X: (t: number) => number,
  width: number,
  gutter: number,
) {
  const list = m.errorsOfLane.get(row.lane);
  if (!list) return;
  ctx.fillStyle = ERROR;
  let lastX = -10;
  for (let i = 0; i < list.start.length; i++) {
    const x = X(list.start[i]!);
    if (x < gutter - 4 || x > width + 4 || x - lastX < 3) continue;
    lastX = x;
    ctx.beginPath();
    ctx.moveTo(x - 4, y);
    ctx.lineTo(x + 4, y);
    ctx.lineTo(x, y + 7);
    ctx.fill();
  }
}

function drawGutter(ctx: CanvasRenderingContext2D, m: Model, st: DrawState) {
  const gutter = st.gutter;
  ctx.fillStyle = '#f7f8fa';
  ctx.fillRect(0, AXIS_H, gutter, st.height - AXIS_H);
  ctx.strokeStyle = '#d0d5dc';
  ctx.beginPath();
  ctx.moveTo(gutter + 0.5, AXIS_H);
  ctx.lineTo(gutter + 0.5, st.height);
  ctx.stroke();
  for (const row of m.rows) {
    const y = AXIS_H + row.y - st.view.scrollY;
    if (y + row.h < AXIS_H || y > st.height || row.label === '') continue;
    ctx.fillStyle = row.kind === 'session' ? '#1f2933' : '#5b6573';
    ctx.font = row.kind === 'session' ? 'bold 11px system-ui, sans-serif' : '11px system-ui, sans-serif';
    const x = row.kind === 'session' ? 6 : 16;
    ctx.fillText(fitText(ctx, row.label, gutter - x - 6), x, y + row.h / 2);
  }
}

function drawAxis(ctx: CanvasRenderingContext2D, m: Model, st: DrawState, X: (t: number) => number, step: number) {
  const { view, width, gutter } = st;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, AXIS_H);
  ctx.strokeStyle = '#d0d5dc';
  ctx.beginPath();
  ctx.moveTo(0, AXIS_H - 0.5);
  ctx.lineTo(width, AXIS_H - 0.5);
  ctx.stroke();
  const logOrder = m.data.axis === 'log-order';
  const reach = Math.max(Math.abs(view.start), Math.abs(view.end));
  ctx.font = '11px system-ui, sans-serif';
  for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) {
    const x = Math.round(X(t)) + 0.5;
    if (x < gutter) continue;
    ctx.strokeStyle = '#8a94a3';
    ctx.beginPath();
    ctx.moveTo(x, AXIS_H - 6);
    ctx.lineTo(x, AXIS_H);
    ctx.stroke();
    ctx.fillStyle = '#3e4852';
    ctx.fillText(formatAxis(t, step, logOrder, reach), x + 3, AXIS_H / 2 - 2);
  }
  ctx.fillStyle = '#5b6573';
  const unit = logOrder ? 'log order (lines)' : 'time since trace start';
  ctx.fillText(fitText(ctx, st.aligned ? unit.replace('trace', 'session') : unit, gutter - 10), 6, AXIS_H / 2 - 2);
}
