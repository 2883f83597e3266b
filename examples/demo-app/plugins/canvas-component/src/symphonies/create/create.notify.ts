import type { HandlerContext } from '../../../../../sdk/types.js';

export function notifyUi(_data: unknown, ctx: HandlerContext) {
  ctx.payload['notification'] = { topic: 'canvas.component.created', id: ctx.payload['nodeId'] };
  // The template was only needed to build the node; drop it so the baton stays small.
  delete ctx.payload['template'];
}
