import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InnermostIndex } from './innermost-index.js';

interface Item {
  readonly id: number;
  readonly group: string;
  readonly start: number;
  readonly end: number;
  readonly tie: number;
}

const keys = {
  group: (i: Item) => i.group,
  start: (i: Item) => i.start,
  end: (i: Item) => i.end,
  tie: (i: Item) => i.tie,
};

/** The rule written plainly: every item tried, the latest start, then the greater tie, then the first in input. */
function byScan(items: readonly Item[], group: string, point: number, strict: boolean, skip: number): Item | undefined {
  let best: Item | undefined;
  for (const i of items) {
    if (i.group !== group || i.id % 5 === skip || i.end < point) continue;
    if (strict ? i.start >= point : i.start > point) continue;
    if (!best || i.start > best.start || (i.start === best.start && i.tie > best.tie)) best = i;
  }
  return best;
}

const item = fc.record({
  group: fc.constantFrom('a', 'b'),
  start: fc.integer({ min: 0, max: 60 }),
  length: fc.integer({ min: 0, max: 25 }),
  tie: fc.integer({ min: 0, max: 2 }),
});

describe('InnermostIndex', () => {
  it('finds the interval the plain scan finds, for closed and start-excluded intervals and a filter', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 40 }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: -2, max: 90 })), { maxLength: 20 }),
        fc.boolean(),
        fc.integer({ min: -1, max: 4 }),
        (raw, points, strict, skip) => {
          const items = raw.map((r, id) => ({
            id,
            group: r.group,
            start: r.start,
            end: r.start + r.length,
            tie: r.tie,
          }));
          const index = new InnermostIndex(items, keys);
          for (const [group, point] of points) {
            const found = index.find(group, point, { strictStart: strict, accept: (i) => i.id % 5 !== skip });
            expect(found?.id).toBe(byScan(items, group, point, strict, skip)?.id);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stops scanning where no earlier interval reaches the point', () => {
    // 100,000 short intervals before a point none of them contains: a scan to the first one per query would be
    // 10^10 steps for 100,000 queries; the running reach makes each query a binary search.
    const items = Array.from({ length: 100_000 }, (_, id) => ({ id, group: 'a', start: id * 2, end: id * 2, tie: 0 }));
    const index = new InnermostIndex(items, keys);
    let visited = 0;
    for (let q = 0; q < 100_000; q++)
      index.find('a', 300_000 + q, {
        accept: () => {
          visited++;
          return true;
        },
      });
    expect(visited).toBe(0);
    expect(index.find('a', 1000)?.id).toBe(500);
  });
});
