/**
 * Touch gestures on the timeline canvas, beside the mouse ones: one finger drags (pans the time axis and
 * scrolls the lanes), two fingers pinch (zoom around their midpoint; moving both pans too). A tap is left to
 * the browser, whose compatibility mouse events select a beat as a click does. The canvas has
 * `touch-action: none`, so the page itself neither scrolls nor zooms under these gestures.
 */

export interface TouchHandlers<P> {
  /** Drag by (dx, dy) CSS px: content moves with the finger, so the view moves the other way. */
  readonly pan: (dxPx: number, dyPx: number) => void;
  /** A pinch starts with its midpoint at canvas x (CSS px); what it returns is handed back to `pinch`. */
  readonly pinchStart: (x: number) => P;
  /** Fingers now `scale` times as far apart as at the start (> 1: apart), their midpoint at canvas x. */
  readonly pinch: (start: P, scale: number, x: number) => void;
}

/** Finger travel, CSS px, below which a touch is still a tap. */
const TAP_SLOP = 4;
/** Finger distance, CSS px, below which a pinch is not measured (two fingers on one spot). */
const MIN_SPREAD = 10;

export function attachTouch<P>(canvas: HTMLCanvasElement, on: TouchHandlers<P>): void {
  canvas.style.touchAction = 'none';
  let drag: { x: number; y: number; moved: boolean } | null = null;
  let pinch: { start: P; spread: number } | null = null;

  const local = (t: Touch) => {
    const r = canvas.getBoundingClientRect();
    return { x: t.clientX - r.left, y: t.clientY - r.top };
  };
  const twoFingers = (e: TouchEvent) => {
    const a = local(e.touches[0]!);
    const b = local(e.touches[1]!);
    return { mid: (a.x + b.x) / 2, spread: Math.hypot(a.x - b.x, a.y - b.y) };
  };
  /** Whatever fingers are down now start a fresh gesture (a finger lifted off a pinch goes on dragging). */
  const begin = (e: TouchEvent) => {
    drag = null;
    pinch = null;
    if (e.touches.length >= 2) {
      const f = twoFingers(e);
      pinch = { start: on.pinchStart(f.mid), spread: Math.max(MIN_SPREAD, f.spread) };
    } else if (e.touches.length === 1) {
      const p = local(e.touches[0]!);
      drag = { x: p.x, y: p.y, moved: false };
    }
  };

  canvas.addEventListener('touchstart', begin, { passive: true });
  canvas.addEventListener(
    'touchmove',
    (e) => {
      if (pinch && e.touches.length >= 2) {
        e.preventDefault();
        const f = twoFingers(e);
        on.pinch(pinch.start, Math.max(MIN_SPREAD, f.spread) / pinch.spread, f.mid);
        return;
      }
      if (!drag || e.touches.length !== 1) return;
      const p = local(e.touches[0]!);
      if (!drag.moved && Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) <= TAP_SLOP) return;
      e.preventDefault();
      drag.moved = true;
      on.pan(drag.x - p.x, drag.y - p.y);
      drag.x = p.x;
      drag.y = p.y;
    },
    { passive: false },
  );
  const end = (e: TouchEvent) => {
    // A drag or pinch is not a tap: no compatibility click on whatever is under the finger afterwards.
    if ((drag?.moved || pinch) && e.cancelable) e.preventDefault();
    begin(e);
    // The lifted finger of a pinch leaves a drag whose start is where the other finger is now: not a tap.
    if (drag && pinch === null && e.type === 'touchend') drag.moved = drag.moved || e.touches.length > 0;
  };
  canvas.addEventListener('touchend', end, { passive: false });
  canvas.addEventListener('touchcancel', end, { passive: false });
}
