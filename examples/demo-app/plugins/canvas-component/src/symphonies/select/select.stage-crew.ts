import type { HandlerContext } from '../../../../../sdk/types.js';
import { instanceRegistry } from '../../store/instance-registry.js';

export interface SelectData {
  nodeId?: string;
}

export function routeSelectionRequest(data: SelectData, ctx: HandlerContext) {
  const selected = instanceRegistry.get(data.nodeId ?? '');
  ctx.payload['selectedId'] = selected?.id ?? null;
  ctx.payload['selected'] = selected ? { ...selected } : null;
}

/** Overlay box with 8 resize handles (corners and edge midpoints), in canvas pixels. */
export function showSelectionOverlay(_data: SelectData, ctx: HandlerContext) {
  const s = ctx.payload['selected'] as { x: number; y: number; width: number; height: number } | null;
  if (!s) return;
  const xs = [s.x, s.x + s.width / 2, s.x + s.width];
  const ys = [s.y, s.y + s.height / 2, s.y + s.height];
  const handles = xs.flatMap((x, i) => ys.map((y, j) => ({ x, y, i, j }))).filter((h) => !(h.i === 1 && h.j === 1));
  ctx.payload['overlay'] = { bounds: { ...s }, handles: handles.map(({ x, y }) => ({ x, y })) };
}

export function notifySelectionChanged(_data: SelectData, ctx: HandlerContext) {
  ctx.payload['selectionEvent'] = { topic: 'canvas.component.selection.changed', id: ctx.payload['selectedId'] };
}
