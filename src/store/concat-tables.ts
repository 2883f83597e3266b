/**
 * Encoded tables of one entity kind joined into one (column-batch.ts): the rows of many small files written
 * as one (`TelemetryStore.writeFiles`), so a DuckDB data chunk holds up to its 2,048 rows whatever the files'
 * sizes — a chunk and each of its columns cost tens of µs to fill however few rows they hold. Dictionaries are
 * concatenated, not merged: looking each value up again would cost what encoding saved.
 */
import type { EncodedColumn, EncodedTable } from './column-batch.js';

/** `tables` (one kind, one column layout) as one table, rows in order. */
export function concatTables(tables: readonly EncodedTable[]): EncodedTable {
  const first = tables[0];
  if (first === undefined) throw new Error('no table to join');
  if (tables.length === 1) return first;
  for (const t of tables) if (t.kind !== first.kind) throw new Error(`${t.kind} rows joined to ${first.kind} rows`);
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const columns = first.columns.map((_, c) => concatColumn(tables.map((t) => t.columns[c]!)));
  return { kind: first.kind, rows, columns };
}

function concatColumn(parts: readonly EncodedColumn[]): EncodedColumn {
  const first = parts[0]!;
  switch (first.type) {
    case 'text': {
      const texts = parts as readonly (EncodedColumn & { type: 'text' })[];
      const { dict, codes } = concatCodes(texts);
      return { type: 'text', dict, codes };
    }
    case 'enum':
      return {
        type: 'enum',
        codes: concatArrays(parts.map((p) => (p as typeof first).codes)),
      };
    case 'int':
    case 'double':
    case 'ms':
    case 'bool': {
      const numbers = parts as readonly (typeof first)[];
      const values = concatArrays<TypedArray>(numbers.map((p) => p.values));
      return { type: first.type, values, nulls: concatNulls(numbers) } as EncodedColumn;
    }
    case 'text-list': {
      const lists = parts as readonly (EncodedColumn & { type: 'text-list' })[];
      const rows = lists.reduce((n, p) => n + p.offsets.length - 1, 0);
      const offsets = new Int32Array(rows + 1);
      let row = 0;
      let items = 0;
      for (const p of lists) {
        for (let i = 1; i < p.offsets.length; i++) offsets[++row] = items + p.offsets[i]!;
        items += p.offsets[p.offsets.length - 1]!;
      }
      const { dict, codes } = concatCodes(lists);
      return { type: 'text-list', offsets, dict, codes, nulls: concatNulls(lists) };
    }
    case 'list':
      return { type: 'list', values: parts.flatMap((p) => (p as typeof first).values) };
  }
}

/** Dictionaries one after the other, each part's codes shifted past the entries before it (NULL stays -1). */
function concatCodes(parts: readonly { readonly dict: string[]; readonly codes: Int32Array }[]): {
  dict: string[];
  codes: Int32Array;
} {
  const dict: string[] = [];
  const codes = new Int32Array(parts.reduce((n, p) => n + p.codes.length, 0));
  let at = 0;
  for (const p of parts) {
    const shift = dict.length;
    for (const value of p.dict) dict.push(value);
    for (let i = 0; i < p.codes.length; i++) codes[at + i] = p.codes[i]! < 0 ? -1 : p.codes[i]! + shift;
    at += p.codes.length;
  }
  return { dict, codes };
}

/** The parts' NULL marks in one array (null when no part has a NULL); a part's rows are its values' or offsets'. */
function concatNulls(
  parts: readonly ({ readonly nulls: Uint8Array | null } & (
    | { values: ArrayLike<unknown> }
    | { offsets: Int32Array }
  ))[],
): Uint8Array | null {
  if (parts.every((p) => p.nulls === null)) return null;
  const lengths = parts.map((p) => ('values' in p ? p.values.length : p.offsets.length - 1));
  const nulls = new Uint8Array(lengths.reduce((n, l) => n + l, 0));
  let at = 0;
  parts.forEach((p, i) => {
    if (p.nulls) nulls.set(p.nulls, at);
    at += lengths[i]!;
  });
  return nulls;
}

type TypedArray = Int32Array | Float64Array | Uint8Array;

/** The parts one after the other, in an array of the first part's type. */
function concatArrays<T extends TypedArray>(parts: readonly T[]): T {
  const make = parts[0]!.constructor as new (length: number) => T;
  const out = new make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p as ArrayLike<number>, at);
    at += p.length;
  }
  return out;
}
