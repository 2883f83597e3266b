import { describe, expect, it } from 'vitest';
import { duration } from './report-format.js';

describe('duration', () => {
  it.each([
    [0, '0 ms'],
    [850.4, '850 ms'],
    [999.6, '1 s'],
    [12_500, '12.5 s'],
    [59_940, '59.9 s'],
    [59_960, '1 min'],
    [370_000, '6 min 10 s'],
    [599_700, '10 min'], // rounds to 600 s once: not "9 min 60 s"
    [3_599_600, '1 h'],
    [5_400_000, '1.5 h'],
  ])('%d ms → %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });
});
