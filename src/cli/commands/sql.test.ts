import { describe, expect, it } from 'vitest';
import { toTable } from './sql.js';

describe('toTable', () => {
  it('pads by terminal columns, so emoji and CJK values stay aligned', () => {
    const rows = [
      { event: 'canvas:保存', n: 3 },
      { event: '🎵:play', n: 12 },
      { event: 'canvas:component:create', n: 140 },
    ];
    expect(toTable(rows)).toBe(
      [
        'event                    n',
        '───────────────────────  ───',
        'canvas:保存              3',
        '🎵:play                  12',
        'canvas:component:create  140',
        '(3 rows)',
        '',
      ].join('\n'),
    );
  });

  it('cuts long values at 80 columns between whole characters', () => {
    const [, , value] = toTable([{ v: '😀'.repeat(50) }]).split('\n');
    expect(value).toBe('😀'.repeat(40));
  });
});
