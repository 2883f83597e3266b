import { describe, expect, it } from 'vitest';
import { formatMs } from '../model/format-ms.js';
import { ms as webMs } from '../web/timeline-details.js';
import { formatMs as htmlMs } from './html-layout.js';
import { duration, msUnit } from './report-format.js';

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

describe('milliseconds', () => {
  it('read the same in text, Markdown, HTML pages and the timeline client', () => {
    for (const v of [12.07, 0.5, 1234.5, null]) {
      expect([msUnit(v), htmlMs(v), webMs(v)]).toEqual([formatMs(v), formatMs(v), formatMs(v)]);
    }
    expect(msUnit(12.07)).toBe('12.07 ms');
  });
});
