import type { HandlerContext } from '../../../../sdk/types.js';

export interface DropData {
  componentId?: string;
  nodeId?: string;
  /** Drop position in canvas pixels. */
  x?: number;
  y?: number;
}

export const handlers = {
  publishCreateRequested(data: DropData, ctx: HandlerContext) {
    const request = {
      componentId: data.componentId ?? 'lib-button',
      nodeId: data.nodeId ?? `rx-${Date.now().toString(36)}`,
      position: { x: Math.round(data.x ?? 0), y: Math.round(data.y ?? 0) },
    };
    ctx.payload['createRequest'] = request;
    ctx.conductor?.play('CanvasComponentPlugin', 'canvas-component-create-symphony', request);
  },
};
