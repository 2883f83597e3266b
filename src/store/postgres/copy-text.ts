/**
 * Rows in the text format of PostgreSQL's `COPY … FROM STDIN`: one line per row, columns separated by TAB,
 * NULL as `\N`, and backslash, TAB, LF and CR in values written as `\\`, `\t`, `\n`, `\r` (the server reads
 * them back as they were). Arrays are array literals (`{"a","b"}`, items quoted, `"` and `\` escaped inside),
 * booleans `t` / `f`, numbers as JavaScript prints them (`NaN`, `Infinity` and `1e+21` read as such into
 * double precision).
 */
import type { ColumnType } from '../column-spec.js';

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escaped(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text;
}

/** An array literal's item: always quoted, so commas, braces, spaces and `NULL` stay text. */
function arrayItem(item: string): string {
  return `"${item.replace(/[\\"]/g, '\\$&')}"`;
}

/** One column value (as a query parameter would carry it: FRAMES already JSON text) in COPY's text format. */
export function copyField(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (type) {
    case 'BOOL':
      return value ? 't' : 'f';
    case 'TEXT[]':
      return escaped(`{${(value as readonly string[]).map(arrayItem).join(',')}}`);
    case 'MS':
    case 'INT':
    case 'DOUBLE':
      return String(value);
    default:
      return escaped(String(value));
  }
}
