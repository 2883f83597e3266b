import type { HandlerContext } from '../../../../../sdk/types.js';
import { enhanceLine } from '../augment/augment.line.stage-crew.js';
import type { CreateData } from './create.arrangement.js';
import { resolveTemplate } from './create.arrangement.js';
import { registerInstance } from './create.io.js';
import { notifyUi } from './create.notify.js';
import { renderReact } from './create.react.stage-crew.js';

export function createNode(data: CreateData, ctx: HandlerContext) {
  const tag = String(ctx.payload['tag'] ?? 'div');
  const style = (ctx.payload['style'] as Record<string, string> | undefined) ?? {};
  const x = data.position?.x ?? 0;
  const y = data.position?.y ?? 0;
  ctx.payload['node'] = {
    tag,
    id: ctx.payload['nodeId'],
    attributes: { 'data-component': data.componentId, class: `rx-comp rx-${tag}` },
    style: { ...style, left: `${x}px`, top: `${y}px` },
    children: tag === 'div' ? [{ tag: 'span', text: 'Drop components here' }] : [],
  };
}

export const handlers = { resolveTemplate, registerInstance, createNode, renderReact, notifyUi, enhanceLine };
