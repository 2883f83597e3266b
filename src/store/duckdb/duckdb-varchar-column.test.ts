import { DuckDBDataChunk, DuckDBInstance, VARCHAR } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { describe, expect, it } from 'vitest';
import { fillVarcharColumn, VarcharDictionary } from './duckdb-varchar-column.js';

/** Appends `values` (null: SQL NULL) through fillVarcharColumn in chunks of `chunkRows`, and reads them back. */
async function roundTrip(values: readonly (string | null)[], chunkRows: number): Promise<(string | null)[]> {
  const dict: string[] = [];
  const codeOf = new Map<string, number>();
  const codes = new Int32Array(values.length);
  values.forEach((v, row) => {
    if (v === null) {
      codes[row] = -1;
      return;
    }
    let code = codeOf.get(v);
    if (code === undefined) {
      code = dict.push(v) - 1;
      codeOf.set(v, code);
    }
    codes[row] = code;
  });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run('CREATE TABLE t (i INTEGER, v VARCHAR)');
    const appender = await connection.createAppender('t');
    const dictionary = new VarcharDictionary(dict);
    for (let from = 0; from < values.length; from += chunkRows) {
      const n = Math.min(chunkRows, values.length - from);
      const chunk = DuckDBDataChunk.create([VARCHAR, VARCHAR], n);
      // Column 0 carries the row number as text, so the read-back order does not depend on the append.
      const rowNumbers = Array.from({ length: n }, (_, i) => String(from + i));
      fillVarcharColumn(
        duckdb.data_chunk_get_vector(chunk.chunk, 0),
        new VarcharDictionary(rowNumbers),
        Int32Array.from(rowNumbers, (_, i) => i),
        0,
        n,
      );
      fillVarcharColumn(duckdb.data_chunk_get_vector(chunk.chunk, 1), dictionary, codes, from, n);
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    const rows = (await connection.runAndReadAll('SELECT v FROM t ORDER BY i')).getRowsJS();
    return rows.map((r) => (r[0] === null ? null : String(r[0])));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('fillVarcharColumn', () => {
  it('stores every kind of value as given: inline, joined, repeated, non-ASCII, empty and NULL, across chunks', async () => {
    const values: (string | null)[] = [];
    for (let i = 0; i < 5_000; i++) {
      // Unique long ASCII ids (joined), repeats of earlier ones within and across chunks, short names (inline),
      // long non-ASCII text (a native assignment each), empty strings and NULLs.
      values.push(`0f447d9e6fdec511:s0:r${i >> 2}:b${i % 4}`);
      if (i % 3 === 0) values.push(`0f447d9e6fdec511:s0:r${i >> 3}:b${i % 4}`);
      if (i % 5 === 0) values.push('load');
      if (i % 7 === 0) values.push(`🎽 DataBaton: +${i} keys · café`);
      if (i % 11 === 0) values.push('');
      if (i % 13 === 0) values.push(null);
      if (i % 17 === 0) values.push(`exactly12chr`);
      if (i % 19 === 0) values.push(`thirteen char`);
    }
    expect(await roundTrip(values, 2048)).toEqual(values);
  });

  it('stores chunks that start with a NULL, a non-ASCII value or a short one before longer values', async () => {
    const long = (i: number) => `request-${i}-of-a-longer-kind`;
    for (const first of [null, 'Ünïcödé text longer than 12', 'short']) {
      const values = [first, long(1), 'Ünïcödé text longer than 12', long(2), long(1), null, 'short', long(3)];
      expect(await roundTrip(values, 4)).toEqual(values);
    }
  });

  it('stores a chunk with a single long value, and one of long values only', async () => {
    expect(await roundTrip(['a value longer than twelve bytes'], 2048)).toEqual(['a value longer than twelve bytes']);
    const ids = Array.from({ length: 3000 }, (_, i) => `request-${i}-${'x'.repeat(i % 40)}`);
    expect(await roundTrip(ids, 1024)).toEqual(ids);
  });
});
