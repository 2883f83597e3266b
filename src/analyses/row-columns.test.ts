import { describe, expect, it } from 'vitest';
import { RowColumns } from './row-columns.js';

const SPEC = { n: Int32Array, half: Float64Array, odd: Uint8Array };

function filled(expected: number, rows: number) {
  const table = new RowColumns(SPEC, expected);
  for (let k = 0; k < rows; k++) {
    const i = table.add();
    const c = table.columns;
    c.n[i] = k;
    c.half[i] = k / 2;
    c.odd[i] = k % 2;
  }
  return table.rows();
}

describe('RowColumns', () => {
  it('keeps every row through growth, whether the count was known, too small or unknown', () => {
    for (const [expected, rows] of [
      [100_000, 100_000],
      [3, 10],
      [0, 40_000],
    ] as const) {
      const { n, half, odd } = filled(expected, rows);
      expect([n.length, half.length, odd.length]).toStrictEqual([rows, rows, rows]);
      expect(n).toBeInstanceOf(Int32Array);
      expect(half).toBeInstanceOf(Float64Array);
      for (const k of [0, 1, 2, rows >> 1, rows - 1]) expect([n[k], half[k], odd[k]]).toStrictEqual([k, k / 2, k % 2]);
    }
  });

  it('cuts no row when none was added', () => {
    expect(filled(0, 0).n.length).toBe(0);
  });
});
