/**
 * `beatscope export --format otlp` and `--format parquet` on a DuckDB store built by the built binary from
 * simulator logs (the real conductor) and the indexed demo app; OTLP also on a capture with no timestamps, whose
 * runs are left out and counted. The Parquet files are read back by DuckDB.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtlpSpan, OtlpTraceRequest } from '../../src/exports/otlp-types.js';
import { protoRoundTrip } from '../otlp/otlp-proto.js';
import { beatscope, ROOT } from './run-beatscope.js';

const UNTIMED = join(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log');

let dir: string;
let db: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beatscope-otlp-cli-'));
  db = join(dir, 'telemetry.duckdb');
  expect(beatscope('simulate', '--out', join(dir, 'logs'), '--sessions', '2', '--seed', '11').code).toBe(0);
  expect(beatscope('ingest', join(dir, 'logs'), '--db', db).code).toBe(0);
  expect(beatscope('index', join(ROOT, 'examples/demo-app'), '--db', db).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = (sql: string) => {
  const r = beatscope('sql', sql, '--db', db, '--json');
  if (r.code !== 0) throw new Error(r.err);
  return JSON.parse(r.out).rows as Record<string, unknown>[];
};
const count = (sql: string) => Number(rows(sql)[0]!['n']);

describe('beatscope export --format otlp', () => {
  it('writes an ExportTraceServiceRequest with a span per run, movement, beat and handler run', () => {
    const out = join(dir, 'out/traces.json');
    const r = beatscope('export', '--format', 'otlp', '--out', out, '--db', db, '--service-name', 'renderx');
    expect(r.code).toBe(0);
    const request = JSON.parse(readFileSync(out, 'utf8')) as OtlpTraceRequest;
    expect(protoRoundTrip(request).json).toEqual(request);
    const spans: OtlpSpan[] = request.resourceSpans.flatMap((x) => x.scopeSpans.flatMap((s) => s.spans));
    const runs = count('select count(*) n from sequence_runs');
    const all =
      runs +
      count('select count(*) n from movement_runs') +
      count('select count(*) n from beat_runs') +
      count('select count(*) n from handler_runs');
    expect(spans).toHaveLength(all);
    const errors = count('select count(*) n from handler_errors');
    expect(r.out).toBe(
      `wrote ${runs} traces, ${all} spans, ${errors} error events (${Math.round(Buffer.byteLength(readFileSync(out)) / 1024)} KiB) to ${out}\n` +
        `send it to a collector: curl -H 'Content-Type: application/json' --data-binary @${out} http://localhost:4318/v1/traces\n`,
    );
    const service = request.resourceSpans.map((x) => x.resource.attributes.find((a) => a.key === 'service.name'));
    expect(new Set(service.map((a) => a?.value.stringValue))).toEqual(new Set(['renderx']));
    // The store holds the code index: handler spans carry their definition's file and line.
    const located = spans.filter((s) => s.attributes.some((a) => a.key === 'code.file.path'));
    expect(located.length).toBeGreaterThan(count('select count(*) n from handler_runs') / 2);
  });

  it('leaves out the runs of a capture without timestamps, and says how many', () => {
    const untimed = join(dir, 'untimed.duckdb');
    expect(beatscope('ingest', UNTIMED, '--db', untimed).code).toBe(0);
    const out = join(dir, 'untimed.json');
    const r = beatscope('export', '--format', 'otlp', '--out', out, '--db', untimed);
    expect(r.code).toBe(0);
    expect(r.out).toContain('wrote 0 traces, 0 spans, 0 error events (0 KiB)');
    expect(r.out).toContain(
      'left out, the log giving no start time or no run: 3 sequence runs, 3 movements, 9 beats, 4 handler runs\n',
    );
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ resourceSpans: [] });
  });

  it('refuses an unknown format with exit 2', () => {
    const r = beatscope('export', '--format', 'jaeger', '--out', join(dir, 'x.json'), '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'beatscope: unknown export format "jaeger"\nhint: formats: chrome-trace, speedscope, otlp, parquet\n',
    );
  });
});

describe('beatscope export --format parquet', () => {
  const TABLES = ['sessions', 'sequence_runs', 'movement_runs', 'beat_runs', 'handler_runs', 'baton_diffs'];
  const parquet = (out: string, table: string) =>
    `read_parquet('${out}/${table}/**/*.parquet', hive_partitioning = true)`;

  it('writes each table partitioned by day; DuckDB reads back the same rows and values', () => {
    const out = join(dir, 'lake');
    const r = beatscope('export', '--format', 'parquet', '--out', out, '--db', db);
    expect(r.code, r.err).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'beatscope-parquet.json'), 'utf8'));
    expect([manifest.schema, manifest.version]).toEqual(['beatscope/parquet-export', 1]);
    const days = rows("select distinct strftime(epoch_ms(start_ms), '%Y-%m-%d') d from sequence_runs order by 1").map(
      (x) => x['d'],
    );
    expect(readdirSync(join(out, 'sequence_runs')).sort()).toEqual(days.map((d) => `day=${d}`));
    for (const table of TABLES) {
      const stored = count(`select count(*) n from ${table}`);
      expect(stored, table).toBeGreaterThan(0);
      expect(count(`select count(*) n from ${parquet(out, table)}`), table).toBe(stored);
      expect(manifest.tables.find((t: { table: string }) => t.table === table).rows, table).toBe(stored);
    }
    // Values survive: sums, per day, and a string column.
    expect(
      rows(
        `select day::varchar d, count(*) n, round(sum(duration_ms), 2) ms from ${parquet(out, 'beat_runs')} group by 1 order by 1`,
      ),
    ).toEqual(
      rows(
        "select strftime(epoch_ms(start_ms), '%Y-%m-%d') d, count(*) n, round(sum(duration_ms), 2) ms from beat_runs group by 1 order by 1",
      ),
    );
    expect(rows(`select string_agg(handler, ',' order by id) h from ${parquet(out, 'handler_runs')}`)).toEqual(
      rows("select string_agg(handler, ',' order by id) h from handler_runs"),
    );
    // The code index goes out as its views; a table with no time is one file.
    expect(count(`select count(*) n from read_parquet('${out}/code_handlers/data.parquet')`)).toBe(
      count('select count(*) n from code_handlers'),
    );
    expect(r.out).toMatch(new RegExp(`^wrote 23 tables, \\d+ rows \\(${days.length} days?\\) as Parquet to ${out}\n`));
  });

  it('replaces its own earlier export in place, without duplicating rows', () => {
    const out = join(dir, 'lake-again');
    expect(beatscope('export', '--format', 'parquet', '--out', out, '--db', db).code).toBe(0);
    writeFileSync(join(out, 'NOTES.txt'), 'kept');
    const again = beatscope('export', '--format', 'parquet', '--out', out, '--db', db);
    expect(again.code, again.err).toBe(0);
    expect(count(`select count(*) n from ${parquet(out, 'beat_runs')}`)).toBe(
      count('select count(*) n from beat_runs'),
    );
    expect(readFileSync(join(out, 'NOTES.txt'), 'utf8')).toBe('kept');
  });

  it('refuses, with exit 2 and nothing written, a non-empty folder it did not write, and a file', () => {
    const foreign = join(dir, 'someone-else');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.tex'), 'x');
    const r = beatscope('export', '--format', 'parquet', '--out', foreign, '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `beatscope: refusing to write into ${foreign}: the folder is not empty and is not a beatscope parquet export\n` +
        'hint: pass a new or empty folder to --out\n',
    );
    expect(readdirSync(foreign)).toEqual(['thesis.tex']);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const f = beatscope('export', '--format', 'parquet', '--out', file, '--db', db);
    expect(f.code).toBe(2);
    expect(f.err).toContain('it is a file, not a directory');
    expect(existsSync(join(dir, 'beatscope-parquet'))).toBe(false);
  });
});
