/**
 * `beatscope sql` opens the store read-only unless `--write` is given: an ad-hoc query must not be able
 * to delete ingested runs by accident. Runs the built binary (`npm test` builds dist/ first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { beatscope, SMALL_LOG } from './run-beatscope.js';

const LOG = SMALL_LOG;

describe('beatscope sql', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-sql-ro-'));
  const db = join(dir, 'store.duckdb');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The rows of `sql --json`, after checking its envelope. */
  const rowsOf = (out: string) => {
    const parsed = JSON.parse(out) as { schema: string; version: number; rows: unknown[] };
    expect([parsed.schema, parsed.version]).toEqual(['beatscope/sql', 1]);
    return parsed.rows;
  };
  const beatRuns = () =>
    rowsOf(beatscope('sql', 'select count(*)::INTEGER AS n from beat_runs', '--db', db, '--json').out);

  it('refuses a DELETE without --write, with exit 2 and one line plus a hint', () => {
    expect(beatscope('ingest', LOG, '--db', db).code).toBe(0);
    expect(beatRuns()).toEqual([{ n: 2 }]);

    const refused = beatscope('sql', 'delete from beat_runs', '--db', db);
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toBe(
      'beatscope: Invalid Input Error: Cannot execute statement of type "DELETE" on database "store" which is attached in read-only mode!\n' +
        'hint: the store is opened read-only; pass --write to change it\n',
    );
    expect(beatRuns()).toEqual([{ n: 2 }]);
  });

  it('refuses DDL without --write too', () => {
    const refused = beatscope('sql', 'create table notes (x INTEGER)', '--db', db);
    expect(refused.code).toBe(2);
    expect(refused.err.split('\n')[0]).toMatch(/^beatscope: .*"CREATE" .*read-only mode!$/);
  });

  it('deletes with --write', () => {
    const deleted = beatscope('sql', 'delete from beat_runs', '--db', db, '--write', '--json');
    expect(deleted.code).toBe(0);
    expect(rowsOf(deleted.out)).toEqual([{ Count: 2 }]);
    expect(beatRuns()).toEqual([{ n: 0 }]);
  });
});
