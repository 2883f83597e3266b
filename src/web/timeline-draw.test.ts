import { describe, expect, it } from 'vitest';
import { formatAxis, gutterWidth } from './timeline-draw.js';

describe('formatAxis', () => {
  it.each([
    [1500, 500, '1.5 s'],
    [250, 50, '250 ms'],
    [245_000, 60_000, '4m05s'],
    [599_700, 60_000, '10m00s'], // rounded once: not 9m60s
    [18_241_000, 600_000, '5h04m01s'],
    [18_241_000, 3_600_000, '5h04m'],
    [8_816_338_000, 86_400_000, '102d00h58m'],
    [8_816_338_000, 60_000, '102d00h58m58s'],
    [-1000, 60_000, '-0m01s'],
    [245_500, 500, '4m05.5s'],
    [599_999, 100, '10m00.0s'], // rounded once, to the digit shown
    [8_816_338_184, 0.5, '102d00h58m58.1840s'],
    [59_000, 1000, '59 s'],
  ])('%d ms with ticks %d ms apart → %s', (value, step, text) => {
    expect(formatAxis(value, step, false)).toBe(text);
  });

  it('reads one axis in one unit: the clock once it reaches a minute', () => {
    expect([50_000, 55_000, 60_000].map((t) => formatAxis(t, 5000, false, 60_000))).toEqual([
      '0m50s',
      '0m55s',
      '1m00s',
    ]);
    expect(formatAxis(-1000, 5000, false, 73_000)).toBe('-0m01s');
    expect(formatAxis(55_000, 5000, false, 58_000)).toBe('55 s');
  });

  it('gives a value that rounds to zero no sign: the opening view starts a margin before the trace', () => {
    expect(formatAxis(-320, 5000, false, 16_000)).toBe('0 s');
    expect(formatAxis(-0.2, 2, false)).toBe('0 ms');
    expect(formatAxis(-1500, 5000, false, 16_000)).toBe('-2 s');
  });

  it('numbers lines on the log-order axis', () => {
    expect(formatAxis(41.6, 10, true)).toBe('line 42');
  });
});

describe('gutterWidth', () => {
  it('is a quarter of the canvas within [90, 168] px', () => {
    expect([300, 366, 390, 500, 672, 1200].map(gutterWidth)).toEqual([90, 92, 98, 125, 168, 168]);
  });
});
