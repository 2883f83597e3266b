import { describe, expect, it } from 'vitest';
import { mdCell, mdCode, mdText } from './md-escape.js';
import { markdownTable } from './text-table.js';

/** Names a hostile or merely unlucky log could carry as a handler, sequence or plugin name. */
const HOSTILE = [
  'a|b',
  'tick`tock',
  '``double``',
  '`edge`',
  '<img src=x onerror=alert(1)>',
  'two\nlines',
  '**bold** _em_ [link](http://x) # h',
  'a & b',
];

describe('mdCode', () => {
  it('fences with more backticks than the content holds', () => {
    expect(mdCode('notifyUi')).toBe('`notifyUi`');
    expect(mdCode('tick`tock')).toBe('``tick`tock``');
    expect(mdCode('``double``')).toBe('``` ``double`` ```');
    expect(mdCode('`edge`')).toBe('`` `edge` ``');
  });
  it('keeps HTML literal (code spans are not parsed) and stays on one line', () => {
    expect(mdCode('<img src=x onerror=alert(1)>')).toBe('`<img src=x onerror=alert(1)>`');
    expect(mdCode('two\nlines\r\nthree')).toBe('`two lines three`');
  });
});

describe('mdText', () => {
  it('escapes emphasis, links, headings and HTML', () => {
    expect(mdText('**bold** _em_ [link](http://x) # h')).toBe('\\*\\*bold\\*\\* \\_em\\_ \\[link\\](http://x) # h');
    expect(mdText('<img src=x>')).toBe('\\<img src=x\\>');
    expect(mdText('a & b')).toBe('a &amp; b');
    expect(mdText('tick`tock')).toBe('tick\\`tock');
    expect(mdText('two\nlines')).toBe('two lines');
  });
});

describe('mdCell and tables', () => {
  it('keeps every hostile name in its own cell, one row per name', () => {
    const table = markdownTable(
      [{ header: 'Handler' }, { header: 'Plugin' }],
      HOSTILE.map((name) => [mdCode(name), mdText(name)]),
    );
    const lines = table.split('\n');
    expect(lines).toHaveLength(2 + HOSTILE.length);
    for (const line of lines) {
      // Unescaped pipes delimit cells: three per row (two cells).
      expect(line.match(/(?<!\\)\|/g)).toHaveLength(3);
    }
    expect(lines[2]).toBe('| `a\\|b` | a\\|b |');
    expect(table).not.toMatch(/(?<![`\\])<img/);
  });
  it('escapes pipes and line breaks', () => {
    expect(mdCell('a|b\nc')).toBe('a\\|b c');
  });
});
