import type { HandlerContext } from '../../../../sdk/types.js';
import { delay } from '../../../../sdk/types.js';
import { buildInventory } from '../inventory.js';

export interface LoadData {
  /** Simulated latency of the inventory endpoint, in ms. */
  inventoryLatencyMs?: number;
}

// No console calls in handlers: the conductor's SPA validator refuses handlers whose source uses console.
export const handlers = {
  async loadComponents(data: LoadData, ctx: HandlerContext) {
    await delay(data.inventoryLatencyMs ?? 4);
    const components = buildInventory();
    const byCategory: Record<string, number> = {};
    for (const c of components) byCategory[c.category] = (byCategory[c.category] ?? 0) + 1;
    ctx.payload['components'] = components;
    ctx.payload['count'] = components.length;
    ctx.payload['byCategory'] = byCategory;
  },

  notifyUi(_data: LoadData, ctx: HandlerContext) {
    const count = Number(ctx.payload['count'] ?? 0);
    ctx.payload['librarySummary'] = { count, loadedAt: new Date().toISOString() };
  },
};
