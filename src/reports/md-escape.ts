/**
 * Markdown escaping for log and code content, which is untrusted: a handler named ``a|b`<img src=x>`` must stay
 * one table cell, one code span, and never become HTML in a pull-request comment. Every Markdown reporter writes
 * names with `mdCode` (code spans) or `mdText` (prose), and tables escape their cells with `mdCell`.
 */

/** One line: CR/LF (which would end a table row or a list item) become spaces. */
function oneLine(value: string): string {
  return value.replace(/\r\n|\r|\n/g, ' ');
}

/**
 * A code span showing `value` literally (CommonMark: nothing is interpreted inside, HTML included). The fence is
 * one backtick longer than the longest backtick run inside; a space pads content that starts or ends with a
 * backtick or a space (the parser strips one space each side). A missing name (`null`) is `—`, outside code.
 */
export function mdCode(value: string | null): string {
  if (value === null) return '—';
  const text = oneLine(value);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Prose inside a line (a cell, a list item after its marker, a heading after its `#`): the inline punctuation
 * backslash-escaped (emphasis, strike-through, code, links, HTML), `&` as an entity. Parentheses, `#` and `+`
 * stay: without `[` they make no link, and they start a block only at the beginning of a line.
 */
export function mdText(value: string): string {
  return oneLine(value)
    .replace(/[\\`*_[\]<>~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;');
}

/**
 * A GFM table cell: pipes escaped (also inside code spans, where GFM reads `\|` as a pipe) and one line.
 * Apply to every cell, after `mdCode`/`mdText`.
 */
export function mdCell(value: string): string {
  return oneLine(value).replace(/\|/g, '\\|');
}
