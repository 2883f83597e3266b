import type { HandlerContext } from '../../../../../sdk/types.js';
import { instanceRegistry } from '../../store/instance-registry.js';

export interface DeleteData {
  nodeId?: string;
}

export function resolveDeletion(data: DeleteData, ctx: HandlerContext) {
  const id = data.nodeId ?? '';
  // A stale selection (the component was already removed elsewhere) ends up here.
  if (!instanceRegistry.has(id)) throw new Error(`Component not found: ${id}`);
  ctx.payload['pendingDeletion'] = id;
}

export function deleteComponent(_data: DeleteData, ctx: HandlerContext) {
  const id = ctx.payload['pendingDeletion'];
  if (typeof id !== 'string') return;
  instanceRegistry.delete(id);
  delete ctx.payload['pendingDeletion'];
  ctx.payload['deletedId'] = id;
}
