import { describe, expect, it } from 'vitest';
import { syntheticStore } from '../../src/bench/synthetic-store.js';
import { entityLine } from '../../src/store/entity-file.js';

describe('syntheticStore', () => {
  it('numbers its entities with distinct log lines, so a store window cuts it between beats', async () => {
    const { data, entities: all, store } = await syntheticStore(1_000);
    expect(new Set(all.map(entityLine)).size).toBe(all.length);
    // Each beat's handler run comes after the beat's start line, before its end line.
    const beatOf = new Map(data.beats.map((b) => [b.id, b]));
    for (const h of data.handlerRuns) {
      const beat = beatOf.get(h.beatRunId!)!;
      expect(h.line).toBeGreaterThan(beat.span.startLine);
      expect(h.line).toBeLessThan(beat.span.endLine);
    }
    const before = await store.placeOf('beat-run', 300);
    expect(before).toStrictEqual({ fileId: 'bench', line: data.beats[300]!.span.startLine });
    expect(await store.entities('beat-run', { before })).toStrictEqual(data.beats.slice(0, 300));
    expect((await store.entities('handler-run', { before })).length).toBe(300);
  });
});
