/** Aligned plain-text tables for terminal reporters; widths ignore ANSI colour codes. */

import stringWidth from 'string-width';
import { mdCell } from './md-escape.js';

export type Align = 'left' | 'right';

export interface Column {
  readonly header: string;
  readonly align?: Align;
}

/** Terminal columns: an emoji or a CJK character takes 2, a combining mark 0, ANSI colour codes none. */
export function visibleWidth(text: string): number {
  return stringWidth(text);
}

function pad(text: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** Two-space indent, two spaces between columns, no trailing spaces. `dim` styles the header row. */
export function textTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  dim: (s: string) => string = (s) => s,
): string {
  const widths = columns.map((c, i) => Math.max(visibleWidth(c.header), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((cell, i) => pad(cell, widths[i]!, columns[i]!.align ?? 'left')).join('  ')}`.trimEnd();
  return [dim(line(columns.map((c) => c.header))), ...rows.map(line)].join('\n');
}

/**
 * A Markdown table; every cell goes through `mdCell` (pipes escaped, one line). Cells holding log or code text
 * must already be `mdCode`/`mdText` (md-escape.ts).
 */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const esc = mdCell;
  return [
    `| ${columns.map((c) => esc(c.header)).join(' | ')} |`,
    `| ${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
