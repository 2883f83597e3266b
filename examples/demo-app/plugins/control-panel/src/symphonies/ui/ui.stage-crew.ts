import type { HandlerContext } from '../../../../../sdk/types.js';
import { delay } from '../../../../../sdk/types.js';

export interface PanelConfig {
  sections: string[];
  /** Debounce of field edits in ms. */
  debounceMs: number;
  showAdvanced: boolean;
}

export interface SchemaProperty {
  name: string;
  type: 'string' | 'number' | 'color' | 'boolean';
  section: string;
}

export interface InitData {
  overrides?: Partial<PanelConfig>;
  /** When set, the schema service answers 503 (an outage the simulator injects). */
  schemaOutage?: boolean;
  componentType?: string;
}

const DEFAULT_CONFIG: PanelConfig = {
  sections: ['layout', 'content', 'styling'],
  debounceMs: 150,
  showAdvanced: false,
};

const SCHEMAS: Record<string, SchemaProperty[]> = {
  button: [
    { name: 'label', type: 'string', section: 'content' },
    { name: 'width', type: 'number', section: 'layout' },
    { name: 'height', type: 'number', section: 'layout' },
    { name: 'background', type: 'color', section: 'styling' },
    { name: 'disabled', type: 'boolean', section: 'content' },
  ],
  heading: [
    { name: 'text', type: 'string', section: 'content' },
    { name: 'level', type: 'number', section: 'content' },
    { name: 'color', type: 'color', section: 'styling' },
  ],
  image: [
    { name: 'src', type: 'string', section: 'content' },
    { name: 'width', type: 'number', section: 'layout' },
    { name: 'height', type: 'number', section: 'layout' },
  ],
};

export function initConfig(data: InitData, ctx: HandlerContext) {
  ctx.payload['config'] = { ...DEFAULT_CONFIG, ...data.overrides };
}

export function initResolver(_data: InitData, ctx: HandlerContext) {
  ctx.payload['resolver'] = Object.fromEntries(Object.keys(SCHEMAS).map((type) => [type, `schema:${type}`]));
  ctx.payload['resolverInitialized'] = true;
}

export async function loadSchemas(data: InitData, ctx: HandlerContext) {
  await delay(5);
  if (data.schemaOutage) throw new Error('Schema fetch failed: 503 Service Unavailable (/schemas/button.json)');
  ctx.payload['schemas'] = SCHEMAS;
  ctx.payload['schemaCount'] = Object.keys(SCHEMAS).length;
}

export function registerObservers(_data: InitData, ctx: HandlerContext) {
  ctx.payload['observers'] = ['selection.changed', 'component.updated', 'theme.changed'];
}

export function notifyReady(_data: InitData, ctx: HandlerContext) {
  const config = ctx.payload['config'] as PanelConfig | undefined;
  ctx.payload['ready'] = { sections: config?.sections.length ?? 0 };
}

export function generateFields(data: InitData, ctx: HandlerContext) {
  const schema = SCHEMAS[data.componentType ?? 'button'] ?? [];
  ctx.payload['fields'] = schema.map((p) => ({
    key: p.name,
    control: p.type === 'boolean' ? 'checkbox' : p.type,
    section: p.section,
  }));
}

export function generateSections(_data: InitData, ctx: HandlerContext) {
  const fields = (ctx.payload['fields'] as Array<{ key: string; section: string }> | undefined) ?? [];
  const sections: Record<string, string[]> = {};
  for (const f of fields) sections[f.section] = [...(sections[f.section] ?? []), f.key];
  ctx.payload['sections'] = sections;
}

export function renderView(_data: InitData, ctx: HandlerContext) {
  const sections = (ctx.payload['sections'] as Record<string, string[]> | undefined) ?? {};
  ctx.payload['view'] = Object.entries(sections).map(
    ([name, keys]) => `<section data-name="${name}">${keys.length}</section>`,
  );
  delete ctx.payload['fields'];
}

export function validateField(data: { value?: unknown; type?: string }, ctx: HandlerContext) {
  ctx.payload['fieldValid'] = data.type === 'number' ? Number.isFinite(Number(data.value)) : data.value !== undefined;
}
