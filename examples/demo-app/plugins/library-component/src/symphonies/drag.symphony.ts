import type { HandlerContext } from '../../../../sdk/types.js';

export interface DragData {
  componentId?: string;
  /** Pointer position in canvas pixels. */
  clientX?: number;
  clientY?: number;
}

export const handlers = {
  onDragStart(data: DragData, ctx: HandlerContext) {
    ctx.payload['dragImage'] = { componentId: data.componentId, offsetX: 12, offsetY: 8 };
    ctx.payload['dragOrigin'] = { x: data.clientX ?? 0, y: data.clientY ?? 0 };
  },
};
