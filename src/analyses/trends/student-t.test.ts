import { describe, expect, it } from 'vitest';
import { incompleteBeta, studentTwoSided, welchTest } from './student-t.js';

describe('Student t tail', () => {
  it('matches published quantiles', () => {
    // t tables: two-sided 5 % points for df 1, 5, 10, 30 and the 0.1 % point for df 10.
    expect(studentTwoSided(12.706, 1)).toBeCloseTo(0.05, 4);
    expect(studentTwoSided(2.571, 5)).toBeCloseTo(0.05, 4);
    expect(studentTwoSided(-2.228, 10)).toBeCloseTo(0.05, 4);
    expect(studentTwoSided(2.042, 30)).toBeCloseTo(0.05, 4);
    expect(studentTwoSided(4.587, 10)).toBeCloseTo(0.001, 5);
    expect(studentTwoSided(0, 7)).toBe(1);
  });

  it('incomplete beta: I_x(1,1) = x and the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.2, 2.5, 4) + incompleteBeta(0.8, 4, 2.5)).toBeCloseTo(1, 12);
  });
});

describe('welchTest', () => {
  it('agrees with SciPy on a small example', () => {
    // scipy 1.17 stats.ttest_ind(b, a, equal_var=False): t 2.035662, df 15.49790, p 0.0592537;
    // 2 * stats.t.sf(6.5, 3.3) = 0.00548739 (fractional df, as Welch gives).
    const a = [27.5, 21, 19, 23.6, 17, 17.9, 16.9, 20.1, 21.9, 22.6];
    const b = [27.1, 22, 20.8, 23.4, 23.4, 23.5, 25.8, 22, 24.8, 20.2];
    const r = welchTest(a, b);
    expect(r.t).toBeCloseTo(2.035662, 5);
    expect(r.df).toBeCloseTo(15.4979, 3);
    expect(r.pValue).toBeCloseTo(0.0592537, 6);
    expect(studentTwoSided(6.5, 3.3)).toBeCloseTo(0.00548739, 7);
  });

  it('constant samples: equal → p 1, different → p 0', () => {
    expect(welchTest([3, 3], [3, 3, 3]).pValue).toBe(1);
    expect(welchTest([3, 3], [4, 4]).pValue).toBe(0);
  });
});
