import type { HandlerContext } from '../../../../../sdk/types.js';
import { instanceRegistry } from '../../store/instance-registry.js';
import type { LayoutNode } from './arrange.layout.js';

export function snapshotLayout(_data: unknown, ctx: HandlerContext) {
  const nodes: LayoutNode[] = instanceRegistry
    .all()
    .map((i) => ({ id: i.id, x: i.x, y: i.y, width: i.width, height: i.height }));
  ctx.payload['nodes'] = nodes;
}

export function applyLayout(_data: unknown, ctx: HandlerContext) {
  const relaxed = (ctx.payload['relaxed'] as LayoutNode[] | undefined) ?? [];
  let applied = 0;
  for (const node of relaxed) {
    const instance = instanceRegistry.get(node.id);
    if (!instance) continue;
    instanceRegistry.set({ ...instance, x: Math.round(node.x), y: Math.round(node.y) });
    applied++;
  }
  ctx.payload['applied'] = applied;
  delete ctx.payload['nodes'];
}
