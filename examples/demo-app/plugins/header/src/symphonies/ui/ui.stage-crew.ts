import type { HandlerContext } from '../../../../../sdk/types.js';
import { delay } from '../../../../../sdk/types.js';

export type Theme = 'light' | 'dark';

/** Stands in for localStorage. */
const storage = new Map<string, string>();

export function getCurrentTheme(data: { preferred?: Theme }, ctx: HandlerContext) {
  const stored = storage.get('theme') as Theme | undefined;
  const theme = stored ?? data.preferred ?? 'light';
  ctx.payload['currentTheme'] = theme;
  ctx.payload['theme'] = theme;
}

export function toggleTheme(data: { current?: Theme }, ctx: HandlerContext) {
  const current = (ctx.payload['theme'] as Theme | undefined) ?? data.current ?? storage.get('theme') ?? 'light';
  ctx.payload['theme'] = current === 'light' ? 'dark' : 'light';
  ctx.payload['previousTheme'] = current;
}

export async function persistTheme(_data: unknown, ctx: HandlerContext) {
  await delay(1);
  storage.set('theme', String(ctx.payload['theme']));
  ctx.payload['persisted'] = true;
}
