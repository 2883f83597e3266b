import type { HandlerContext } from '../../../../../sdk/types.js';
import { instanceRegistry } from '../../store/instance-registry.js';

export interface MoveData {
  nodeId?: string;
  /** Pointer positions sampled during the drag, in canvas pixels. */
  path?: Array<{ x: number; y: number }>;
}

/** Grid step in canvas pixels. */
const GRID = 8;

export function startDrag(data: MoveData, ctx: HandlerContext) {
  const instance = instanceRegistry.get(data.nodeId ?? '');
  ctx.payload['dragState'] = { id: data.nodeId, from: instance ? { x: instance.x, y: instance.y } : null };
}

export function updatePosition(data: MoveData, ctx: HandlerContext) {
  let last = { x: 0, y: 0 };
  for (const p of data.path ?? []) last = { x: Math.round(p.x / GRID) * GRID, y: Math.round(p.y / GRID) * GRID };
  ctx.payload['position'] = last;
  ctx.payload['samples'] = data.path?.length ?? 0;
}

export function commitPosition(data: MoveData, ctx: HandlerContext) {
  const instance = instanceRegistry.get(data.nodeId ?? '');
  const position = ctx.payload['position'] as { x: number; y: number } | undefined;
  if (instance && position) instanceRegistry.set({ ...instance, ...position });
  delete ctx.payload['dragState'];
  ctx.payload['committed'] = Boolean(instance && position);
}
