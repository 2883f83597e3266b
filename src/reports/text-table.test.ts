import { describe, expect, it } from 'vitest';
import { textTable, visibleWidth } from './text-table.js';

describe('textTable', () => {
  it('measures terminal columns: emoji and CJK take two, colour codes none', () => {
    expect(visibleWidth('notifyUi')).toBe(8);
    expect(visibleWidth('保存')).toBe(4);
    expect(visibleWidth('🎵 beat')).toBe(7);
    expect(visibleWidth('\u001b[31mred\u001b[39m')).toBe(3);
    expect(visibleWidth('e\u0301')).toBe(1);
  });

  it('aligns rows whose cells hold emoji and CJK characters', () => {
    const table = textTable(
      [{ header: 'handler' }, { header: 'p95 ms', align: 'right' }],
      [
        ['保存ハンドラ', '12.5'],
        ['🎵 playBeat', '3.0'],
        ['notifyUi', '101.2'],
      ],
    );
    expect(table).toBe(
      ['  handler       p95 ms', '  保存ハンドラ    12.5', '  🎵 playBeat      3.0', '  notifyUi       101.2'].join(
        '\n',
      ),
    );
  });
});
