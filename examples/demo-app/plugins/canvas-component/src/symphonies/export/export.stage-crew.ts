import type { HandlerContext } from '../../../../../sdk/types.js';
import { delay } from '../../../../../sdk/types.js';
import type { CanvasInstance } from '../../store/instance-registry.js';
import { instanceRegistry } from '../../store/instance-registry.js';

export interface ExportData {
  fileName?: string;
}

export function collectComponents(_data: ExportData, ctx: HandlerContext) {
  ctx.payload['components'] = instanceRegistry.all().sort((a, b) => a.z - b.z);
}

export function serializeComponents(_data: ExportData, ctx: HandlerContext) {
  const components = (ctx.payload['components'] as CanvasInstance[] | undefined) ?? [];
  ctx.payload['records'] = components.map((c) => ({
    id: c.id,
    type: c.componentId,
    box: [c.x, c.y, c.width, c.height],
  }));
}

export function buildSvg(_data: ExportData, ctx: HandlerContext) {
  const components = (ctx.payload['components'] as CanvasInstance[] | undefined) ?? [];
  const width = Math.max(800, ...components.map((c) => c.x + c.width));
  const height = Math.max(600, ...components.map((c) => c.y + c.height));
  const rects = components.map(
    (c) => `<rect id="${c.id}" x="${c.x}" y="${c.y}" width="${c.width}" height="${c.height}" data-tag="${c.tag}"/>`,
  );
  ctx.payload['svg'] =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rects.join('')}</svg>`;
}

export function buildManifest(data: ExportData, ctx: HandlerContext) {
  const records = (ctx.payload['records'] as unknown[] | undefined) ?? [];
  ctx.payload['manifest'] = { file: data.fileName ?? 'canvas.svg', components: records.length, format: 'svg+json' };
}

export async function downloadBundle(_data: ExportData, ctx: HandlerContext) {
  const svg = String(ctx.payload['svg'] ?? '');
  const manifest = JSON.stringify(ctx.payload['manifest'] ?? {});
  await delay(2);
  ctx.payload['bundleBytes'] = Buffer.byteLength(svg) + Buffer.byteLength(manifest);
  delete ctx.payload['components'];
}
