import { describe, expect, it } from 'vitest';
import { formatMs, MISSING, msDigits } from './format-ms.js';

describe('msDigits', () => {
  it.each([
    [12.07, '12.07'],
    [12.071, '12.07'],
    [9, '9'],
    [0.5, '0.5'],
    [130.456, '130.46'],
    [1234.5, '1234.5'],
  ])('%d → %s', (v, text) => expect(msDigits(v)).toBe(text));
  it('marks unknown values with one dash', () => {
    expect([msDigits(null), msDigits(undefined), msDigits(Number.NaN)]).toEqual([MISSING, MISSING, MISSING]);
    expect(MISSING).toBe('—');
  });
});

describe('formatMs', () => {
  it.each([
    [12.07, '12.07 ms'],
    [0, '0 ms'],
    [999.994, '999.99 ms'],
    [1000, '1 s'],
    [1234.5, '1.23 s'],
    [59_000, '59 s'],
    [60_000, '1 min'],
    [150_000, '2.5 min'],
  ])('%d → %s', (v, text) => expect(formatMs(v)).toBe(text));
});
