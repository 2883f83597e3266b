import type { HandlerContext } from '../../../../../sdk/types.js';

export interface CreateData {
  componentId?: string;
  nodeId?: string;
  /** Drop position in canvas pixels. */
  position?: { x: number; y: number };
}

const TEMPLATES: Record<string, { tag: string; width: number; height: number; style: Record<string, string> }> = {
  'lib-button': { tag: 'button', width: 120, height: 40, style: { padding: '8px 16px', borderRadius: '6px' } },
  'lib-heading': { tag: 'h2', width: 240, height: 48, style: { fontSize: '28px', fontWeight: '600' } },
  'lib-image': { tag: 'img', width: 200, height: 150, style: { objectFit: 'cover' } },
  'lib-container': { tag: 'div', width: 320, height: 200, style: { display: 'flex', gap: '8px' } },
  'lib-line': { tag: 'svg', width: 200, height: 4, style: { stroke: '#333' } },
  'lib-input': { tag: 'input', width: 200, height: 36, style: { border: '1px solid #ccc' } },
};

export function resolveTemplate(data: CreateData, ctx: HandlerContext) {
  const template = TEMPLATES[data.componentId ?? ''];
  if (!template) throw new Error(`No template registered for component ${data.componentId}`);
  ctx.payload['template'] = template;
  ctx.payload['tag'] = template.tag;
  ctx.payload['style'] = { ...template.style, position: 'absolute' };
}
