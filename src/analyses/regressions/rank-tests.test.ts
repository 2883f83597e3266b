import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, mannWhitney, normalUpperTail, proportionIncrease, trimmedMean } from './rank-tests.js';

describe('mannWhitney', () => {
  it('separated samples: U = 0 or n·m and the normal approximation with continuity correction', () => {
    // n = m = 5: mean 12.5, variance 25·11/12, z = (12.5 − 0.5)/4.787 = 2.507, two-sided p = 0.0122 (scipy asymptotic).
    const r = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r.u).toBe(25);
    expect(r.effect).toBe(1);
    expect(r.pValue).toBeCloseTo(0.0122, 4);
    expect(mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).u).toBe(0);
  });

  it('corrects the variance for ties (1 ms resolution) and gives p = 1 when everything ties', () => {
    // Ranks of 1,1,2,2,2,3,3,3: 1.5,1.5,4,4,4,7,7,7; b = [2,3,3,3] has rank sum 25, U = 25 − 10 = 15.
    // Tie term 2·(8−2)... = (8−2)+(27−3)+(27−3) = 54; variance = 16/12·(9 − 54/56) = 10.714; z = (15−8−0.5)/3.273.
    const r = mannWhitney([1, 1, 2, 2], [2, 3, 3, 3]);
    expect(r.u).toBe(15);
    expect(r.pValue).toBeCloseTo(2 * normalUpperTail(6.5 / Math.sqrt((16 / 12) * (9 - 54 / 56))), 10);
    expect(r.pValue).toBeCloseTo(0.0474, 3);
    expect(mannWhitney([3, 3, 3], [3, 3]).pValue).toBe(1);
  });
});

describe('normalUpperTail', () => {
  it('matches the standard normal table', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1)).toBeCloseTo(0.841345, 6);
  });
});

describe('benjaminiHochberg', () => {
  it('adjusts in input order and keeps adjusted values monotone in p', () => {
    // Sorted 0.005, 0.01, 0.03, 0.04 → ·4/k = 0.02, 0.02, 0.04, 0.04.
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005])).toEqual([0.02, 0.04, 0.04, 0.02]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});

describe('proportionIncrease and trimmedMean', () => {
  it('a rate going from 0/100 to 10/100 is significant, the reverse is not', () => {
    expect(proportionIncrease(0, 100, 10, 100)).toBeLessThan(0.001);
    expect(proportionIncrease(10, 100, 0, 100)).toBeGreaterThan(0.99);
    expect(proportionIncrease(0, 0, 1, 5)).toBe(1);
  });
  it('drops 10 % at each end', () => {
    expect(trimmedMean([1, 2, 2, 2, 2, 2, 2, 2, 2, 100])).toBe(2);
  });
});
