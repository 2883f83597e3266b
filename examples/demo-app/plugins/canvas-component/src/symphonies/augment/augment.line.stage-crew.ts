import type { HandlerContext } from '../../../../../sdk/types.js';

export function enhanceLine(_data: unknown, ctx: HandlerContext) {
  if (ctx.payload['tag'] !== 'svg') return;
  ctx.payload['lineAugmented'] = { markerEnd: 'arrow', strokeWidth: 2 };
}
