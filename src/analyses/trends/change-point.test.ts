import { describe, expect, it } from 'vitest';
import { bestSplit, energyDivergences, segmentSeries } from './change-point.js';

describe('energyDivergences', () => {
  it('equals the E-Divisive statistic computed pair by pair', () => {
    const x = [1, 3, 2, 8, 9, 7, 8];
    const direct = (tau: number) => {
      const a = x.slice(0, tau);
      const b = x.slice(tau);
      let cross = 0;
      for (const u of a) for (const v of b) cross += Math.abs(u - v);
      const within = (s: number[]) => {
        let sum = 0;
        for (let i = 0; i < s.length; i++) for (let k = i + 1; k < s.length; k++) sum += Math.abs(s[i]! - s[k]!);
        return sum / ((s.length * (s.length - 1)) / 2);
      };
      const m = a.length;
      const n = b.length;
      return ((m * n) / (m + n)) * ((2 * cross) / (m * n) - within(a) - within(b));
    };
    const got = energyDivergences(x, 0, x.length, 2);
    expect(got.map(([t]) => t)).toEqual([2, 3, 4, 5]);
    for (const [tau, q] of got) expect(q).toBeCloseTo(direct(tau), 10);
  });

  it('is empty when the segment cannot hold two sides of minSegment', () => {
    expect(energyDivergences([1, 2, 3, 4, 5], 0, 5, 3)).toEqual([]);
  });
});

describe('bestSplit and segmentSeries', () => {
  it('finds a level shift where it happens, with a small corrected p-value', () => {
    const x = [10, 11, 9, 10.5, 10, 9.5, 20, 21, 19, 20.5, 20, 19.5];
    const s = bestSplit(x, 0, x.length, 3)!;
    expect(s.at).toBe(6);
    expect(s.pValue).toBeLessThan(1e-6);
  });

  it('finds two shifts by binary segmentation and none in noise around one level', () => {
    const x = [5, 5.2, 4.9, 5.1, 9, 9.2, 8.9, 9.1, 9, 3, 3.1, 2.9, 3];
    const { splits } = segmentSeries(x, 3, (s) => s.pValue < 0.01);
    expect(splits.map((s) => s.at)).toEqual([4, 9]);
    const flat = [5, 5.3, 4.8, 5.1, 4.9, 5.2, 5, 4.7, 5.1, 5.2];
    const none = segmentSeries(flat, 3, (s) => s.pValue < 0.01);
    expect(none.splits).toEqual([]);
    expect(none.first!.pValue).toBeGreaterThan(0.05);
  });
});
