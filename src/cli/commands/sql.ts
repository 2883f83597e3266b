import stringWidth from 'string-width';
import { UsageError } from '../errors.js';
import { writeCliJson } from '../json-output.js';
import { openStore } from '../open-store.js';

export async function runSql(
  query: string,
  opts: { db: string; json?: boolean; csv?: boolean; write?: boolean },
): Promise<void> {
  const store = await openStore(opts.db, opts.write ? 'read' : 'read-only');
  try {
    let rows: readonly Record<string, unknown>[];
    try {
      rows = await store.query(query);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      throw new UsageError(
        message,
        !opts.write && /read-only (mode|transaction)/i.test(message)
          ? 'the store is opened read-only; pass --write to change it'
          : 'see docs/schema.md for tables and columns',
      );
    }
    if (opts.json) writeCliJson('sql', { rows });
    else if (opts.csv) process.stdout.write(toCsv(rows));
    else process.stdout.write(toTable(rows));
  } finally {
    await store.close();
  }
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function toCsv(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const esc = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `${[cols.map(esc).join(','), ...rows.map((r) => cols.map((c) => esc(cell(r[c]))).join(','))].join('\n')}\n`;
}

export function toTable(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)\n';
  const cols = Object.keys(rows[0]!);
  const cells = rows.map((r) => cols.map((c) => clip(cell(r[c]).replace(/\s+/g, ' '), 80)));
  // Widths in terminal columns (an emoji or CJK character takes 2), not UTF-16 units.
  const widths = cols.map((c, i) => Math.max(stringWidth(c), ...cells.map((r) => stringWidth(r[i]!))));
  const line = (vals: readonly string[]) =>
    vals
      .map((v, i) => v + ' '.repeat(widths[i]! - stringWidth(v)))
      .join('  ')
      .trimEnd();
  return `${[line(cols), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n')}\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}

/** At most `columns` terminal columns, cut between whole characters (never inside an emoji or a surrogate pair). */
function clip(text: string, columns: number): string {
  if (stringWidth(text) <= columns) return text;
  let out = '';
  for (const { segment } of new Intl.Segmenter().segment(text)) {
    if (stringWidth(out + segment) > columns) break;
    out += segment;
  }
  return out;
}
