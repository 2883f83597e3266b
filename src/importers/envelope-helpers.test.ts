import { describe, expect, it } from 'vitest';
import { parseIsoAt, stripStyling } from './envelope-helpers.js';

describe('parseIsoAt', () => {
  it.each([
    ['2025-11-10T21:56:17.114Z', '2025-11-10T21:56:17.114Z', 24],
    ['2025-11-10T21:56:17Z rest', '2025-11-10T21:56:17.000Z', 20],
    ['2025-11-09 14:30:45.123 -05:00', '2025-11-09T19:30:45.123Z', 30],
    ['2025-11-09T14:30:45.123+0100', '2025-11-09T13:30:45.123Z', 28],
    ['2025-11-09T14:30:45.1234567Z', '2025-11-09T14:30:45.123Z', 28],
    ['2025-11-09T14:30:45', '2025-11-09T14:30:45.000Z', 19],
  ])('reads %s', (text, iso, end) => {
    expect(parseIsoAt(text)).toEqual({ ms: Date.parse(iso), end });
  });

  it('reads at an offset and rejects what is not a timestamp', () => {
    expect(parseIsoAt('[2025-11-17T16:40:45.055Z] LOG', 1)).toEqual({
      ms: Date.parse('2025-11-17T16:40:45.055Z'),
      end: 25,
    });
    expect(parseIsoAt('2025-13-10T21:56:17.114Z')).toBeUndefined();
    expect(parseIsoAt('EventBus.ts:56 2025')).toBeUndefined();
    expect(parseIsoAt('2025-11-10')).toBeUndefined();
  });
});

describe('stripStyling', () => {
  it.each([
    ['%c✅ Completed in 8.90ms color: #28A745; font-weight: bold;', '✅ Completed in 8.90ms'],
    ['🎼 Sequence: Control Panel UI Render color: #007BFF; font-weight: bold;', '🎼 Sequence: Control Panel UI Render'],
    [
      '%cDownload the React DevTools: https://react.dev/link/react-devtools font-weight:bold',
      'Download the React DevTools: https://react.dev/link/react-devtools',
    ],
    ['🎨 Theme color: dark', '🎨 Theme color: dark'],
    ['DataBaton: +a | seq=X preview={"color":"red"}', 'DataBaton: +a | seq=X preview={"color":"red"}'],
  ])('%s', (input, output) => {
    expect(stripStyling(input)).toBe(output);
  });
});
