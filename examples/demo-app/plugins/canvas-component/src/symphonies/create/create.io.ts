import type { HandlerContext } from '../../../../../sdk/types.js';
import { instanceRegistry } from '../../store/instance-registry.js';
import type { CreateData } from './create.arrangement.js';

export function registerInstance(data: CreateData, ctx: HandlerContext) {
  const template = ctx.payload['template'] as { tag: string; width: number; height: number } | undefined;
  const id = data.nodeId ?? `rx-${instanceRegistry.all().length + 1}`;
  instanceRegistry.set({
    id,
    componentId: data.componentId ?? 'unknown',
    tag: template?.tag ?? 'div',
    x: data.position?.x ?? 0,
    y: data.position?.y ?? 0,
    width: template?.width ?? 100,
    height: template?.height ?? 100,
    z: instanceRegistry.all().length,
  });
  ctx.payload['nodeId'] = id;
  ctx.payload['registered'] = true;
}
