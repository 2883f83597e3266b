import { describe, expect, it } from 'vitest';
import { groupFiles } from './duckdb-line-ranges.js';

const files = (...rows: number[]) => rows.map((r, i) => ({ id: i, rows: r }));
const ids = (groups: { id: number }[][]) => groups.map((g) => g.map((f) => f.id));

describe('groupFiles', () => {
  it('groups consecutive files up to the size, in order', () => {
    expect(ids(groupFiles(files(3, 4, 3, 5, 5), 10))).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    // Exactly the size still fits.
    expect(ids(groupFiles(files(6, 4, 1), 10))).toEqual([[0, 1], [2]]);
  });

  it('leaves a file larger than the size alone, whatever is around it', () => {
    expect(ids(groupFiles(files(2, 25, 3, 4), 10))).toEqual([[0], [1], [2, 3]]);
    expect(ids(groupFiles(files(25, 30), 10))).toEqual([[0], [1]]);
  });

  it('gives no group for no file', () => {
    expect(groupFiles([], 10)).toEqual([]);
  });
});
