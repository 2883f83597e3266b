import { describe, expect, it } from 'vitest';
import { handlers } from '../src/symphonies/load.symphony.js';

describe('LibraryPlugin load handlers', () => {
  it('loadComponents - assigns the inventory and its count to the payload', async () => {
    const ctx = { payload: {} as Record<string, unknown> };
    await handlers.loadComponents({ inventoryLatencyMs: 0 }, ctx);
    expect(ctx.payload['count']).toBe(12);
    expect((ctx.payload['components'] as Array<{ id: string }>)[0]?.id).toBe('lib-button');
  });

  it('notifyUi - publishes a library summary', () => {
    const ctx = { payload: { count: 3 } as Record<string, unknown> };
    handlers.notifyUi({}, ctx);
    expect(ctx.payload['librarySummary']).toMatchObject({ count: 3 });
  });
});
