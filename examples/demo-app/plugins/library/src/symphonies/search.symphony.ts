import type { HandlerContext } from '../../../../sdk/types.js';
import { buildInventory } from '../inventory.js';

export interface SearchData {
  query?: string;
}

export function normalizeQuery(data: SearchData, ctx: HandlerContext) {
  const terms = (data.query ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((t) => t.length > 0);
  ctx.payload['terms'] = terms;
}

export function filterComponents(_data: SearchData, ctx: HandlerContext) {
  const terms = (ctx.payload['terms'] as string[] | undefined) ?? [];
  const matches = buildInventory().filter((c) =>
    terms.every((t) => c.name.toLowerCase().includes(t) || c.tags.some((tag) => tag.includes(t))),
  );
  ctx.payload['results'] = matches.map((c) => c.id);
  ctx.payload['resultCount'] = matches.length;
}

export function publishResults(_data: SearchData, ctx: HandlerContext) {
  // The list itself is no longer needed once the panel has its ids; keep the count only.
  delete ctx.payload['terms'];
  ctx.payload['resultCount'] = Number(ctx.payload['resultCount'] ?? 0);
  ctx.payload['published'] = true;
}

export const handlers = { normalizeQuery, filterComponents, publishResults };
