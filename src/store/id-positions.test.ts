import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdPositions, idsAreUnique } from './id-positions.js';

const items = (ids: readonly string[]) => ids.map((id) => ({ id }));

describe('idsAreUnique', () => {
  it('tells ids whose 32-bit hashes collide apart, and finds a repeat among them', () => {
    // Known FNV-1a 32-bit collisions: equal hashes, different ids.
    expect(idsAreUnique(items(['costarring', 'liquid', 'declinate', 'macallums', 'a']))).toBe(true);
    expect(idsAreUnique(items(['costarring', 'liquid', 'costarring']))).toBe(false);
    expect(idsAreUnique(items(['x', 'declinate', 'y', 'macallums', 'y']))).toBe(false);
    expect(idsAreUnique(items([]))).toBe(true);
  });

  it('agrees with a set of the ids', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 3 }), { maxLength: 40 }), (ids) => {
        expect(idsAreUnique(items(ids))).toBe(new Set(ids).size === ids.length);
      }),
    );
  });
});

describe('IdPositions', () => {
  it('finds each id where a map of every id to its last position does, in any order of asking', () => {
    const drawn = fc.record({
      ids: fc.array(
        fc.integer({ min: 0, max: 12 }).map((n) => `r${n}`),
        { maxLength: 30 },
      ),
      asked: fc.array(fc.integer({ min: -1, max: 30 }), { maxLength: 40 }),
      rewindAt: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(
      fc.property(drawn, ({ ids, asked, rewindAt }) => {
        const last = new Map(ids.map((id, i) => [id, i]));
        const positions = new IdPositions(items(ids));
        asked.forEach((k, n) => {
          if (n === rewindAt) positions.rewind();
          // Mostly the next ids in order (what the store asks), some out of order or absent.
          const id = k >= 0 && k < ids.length ? ids[k]! : `r${k}`;
          expect(positions.find(id)).toBe(last.get(id));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('answers ids asked in store order without building its map', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `s0:r${i}`);
    const positions = new IdPositions(items(ids));
    for (let i = 0; i < ids.length; i++) {
      expect(positions.find(ids[i]!)).toBe(i);
      expect(positions.find(ids[i]!)).toBe(i);
    }
    expect((positions as unknown as { byId: unknown }).byId).toBeUndefined();
  });
});
