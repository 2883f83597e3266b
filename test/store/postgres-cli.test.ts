/**
 * `--db postgres://…` on the built binary against a real PostgreSQL server: `ingest`, `summary`, `sql` and
 * `report heatmap` give what they give on a DuckDB file holding the same corpus logs, `analyze` writes the same
site, report JSON files and summary.md, and ingests running at
 * once against one server neither lose nor duplicate a file. Runs the built binary (`npm test` builds dist/).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { BIN, beatscope, ROOT } from '../cli/run-beatscope.js';
import { startServe } from '../cli/start-serve.js';
import { type PostgresServer, startPostgres } from './postgres-server.js';

const LOGS = [
  'test/fixtures/corpus/logs/cypress-capture.component-resize.excerpt.log',
  'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log',
  'test/fixtures/corpus/logs/chrome-per-source-location.resize-move.log',
].map((p) => resolve(ROOT, p));

/** A JSON output without the moment it was made. */
function json(out: string): Record<string, unknown> {
  const parsed = JSON.parse(out) as Record<string, unknown>;
  delete parsed['generatedAt'];
  return parsed;
}

/** Runs the binary asynchronously, so several run at once. */
function runAsync(args: readonly string[]): Promise<{ code: number | null; err: string; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let err = '';
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => done({ code, err, out }));
  });
}

describe('beatscope --db postgres://', { timeout: 180_000 }, () => {
  let server: PostgresServer;
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-pg-cli-'));
  const duck = join(dir, 'store.duckdb');
  let url: string;
  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase('cli');
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingests, summarizes, answers SQL and reports the heatmap as a DuckDB store of the same logs does', () => {
    const onPg = beatscope('ingest', ...LOGS, '--db', url);
    expect(onPg.err).toBe('');
    expect(onPg.code).toBe(0);
    expect(onPg.out).toMatch(/3 ingested, 0 unchanged, 0 duplicate, 0 failed/);
    expect(beatscope('ingest', ...LOGS, '--db', duck).code).toBe(0);
    // A second ingest of unchanged files stores nothing again.
    expect(beatscope('ingest', ...LOGS, '--db', url).out).toMatch(/0 ingested, 3 unchanged/);

    const summary = beatscope('summary', '--db', url, '--json');
    expect(summary.code).toBe(0);
    const pgSummary = json(summary.out);
    expect(pgSummary).toStrictEqual(json(beatscope('summary', '--db', duck, '--json').out));
    expect(pgSummary['files']).toBe(3);
    expect(pgSummary['beatRuns']).toBeGreaterThan(10);
    expect(beatscope('summary', '--db', url).out).toMatch(/Most common unknown lines/);

    const heatmap = beatscope('report', 'heatmap', '--db', url, '--format', 'json');
    expect(heatmap.code).toBe(0);
    expect(json(heatmap.out)).toStrictEqual(json(beatscope('report', 'heatmap', '--db', duck, '--format', 'json').out));
    const graph = beatscope('report', 'graph', '--db', url, '--format', 'json');
    expect(graph.code).toBe(0);
    expect(json(graph.out)).toStrictEqual(json(beatscope('report', 'graph', '--db', duck, '--format', 'json').out));

    const sql = 'select event, count(*) as n from beat_runs group by event order by event';
    const rows = (out: string) => (JSON.parse(out) as { rows: unknown[] }).rows;
    const pgRows = rows(beatscope('sql', sql, '--db', url, '--json').out);
    expect(pgRows.length).toBeGreaterThan(1);
    expect(pgRows).toStrictEqual(rows(beatscope('sql', sql, '--db', duck, '--json').out));

    // A run's log lines by its request id, found in PostgreSQL as in DuckDB and read from the log file.
    const runs =
      'select request_id from sequence_runs where request_id is not null order by file_id, start_line limit 1';
    const [run] = rows(beatscope('sql', runs, '--db', url, '--json').out) as { request_id: string }[];
    const lines = (db: string) => beatscope('lines', run!.request_id, '-C', '1', '--db', db, '--json');
    const pgLines = lines(url);
    expect(pgLines.code, pgLines.err).toBe(0);
    expect(json(pgLines.out)).toStrictEqual(json(lines(duck).out));
    expect((json(pgLines.out)['lines'] as { text: string }[]).some((l) => l.text.includes(run!.request_id))).toBe(true);
  });

  it('analyzes it into the same site, report JSON files and summary.md as a DuckDB store of the same logs', async () => {
    // Consoles of the demo app played by the real conductor (chains, DataBaton writes, publishes), beside the corpus.
    const sim = join(dir, 'sim');
    await simulate({ appDir: demoAppDir(), outDir: sim, sessions: 2, seed: 5 });
    const inputs = [sim, ...LOGS];
    const analyzed = await server.createDatabase('analyzed');
    const sites = { pg: join(dir, 'site-pg'), duck: join(dir, 'site-duck') };
    const code = demoAppDir();
    const onPg = beatscope('analyze', ...inputs, '--db', analyzed, '--code', code, '--out', sites.pg);
    expect(onPg.code, onPg.err).toBe(0);
    const onDuck = beatscope(
      'analyze',
      ...inputs,
      '--db',
      join(dir, 'analyzed.duckdb'),
      '--code',
      code,
      '--out',
      sites.duck,
    );
    expect(onDuck.code, onDuck.err).toBe(0);
    // Only the moment each was made differs (pages say "generated <time>", JSON files `generatedAt`).
    const normal = (text: string) =>
      text.replace(/("generatedAt": ?|generated )"?\d{4}-\d\d-\d\dT[\d:.]+Z"?/g, '$1<time>');
    expect(onPg.out.replaceAll(sites.pg, '<out>')).toBe(onDuck.out.replaceAll(sites.duck, '<out>'));
    const files = readdirSync(sites.duck).sort();
    expect(readdirSync(sites.pg).sort()).toStrictEqual(files);
    expect(files).toEqual(
      expect.arrayContaining(['summary.md', 'graph.json', 'flows.json', 'heatmap.json', 'index.html']),
    );
    for (const file of files) {
      const pgText = readFileSync(join(sites.pg, file), 'utf8');
      expect(normal(pgText), file).toBe(normal(readFileSync(join(sites.duck, file), 'utf8')));
      if (file.endsWith('.json')) expect(JSON.parse(pgText), file).toMatchObject({ schema: expect.any(String) });
    }
    // The logs ran: real numbers, not two empty sites.
    const heatmap = JSON.parse(readFileSync(join(sites.pg, 'heatmap.json'), 'utf8')) as {
      summary: { totalExecutions: number };
    };
    expect(heatmap.summary.totalExecutions).toBeGreaterThan(50);
    const graph = JSON.parse(readFileSync(join(sites.pg, 'graph.json'), 'utf8')) as { edges: { kind: string }[] };
    for (const kind of ['runs', 'chains', 'data'])
      expect(
        graph.edges.some((e) => e.kind === kind),
        kind,
      ).toBe(true);
  });

  it('keeps the code index there: `code` names a handler and how it ran as on DuckDB', () => {
    const renderx = resolve(ROOT, 'test/fixtures/renderx');
    expect(beatscope('index', renderx, '--db', url).code).toBe(0);
    expect(beatscope('index', renderx, '--db', duck).code).toBe(0);
    const onPg = beatscope('code', 'initConfig', '--db', url, '--json');
    // Exit 1: its module is not in the index (the fixture has RenderX's sequence JSON, not its sources).
    expect(onPg.code).toBe(1);
    const found = JSON.parse(onPg.out) as { production: { count: number } };
    expect(found.production.count).toBe(2);
    expect(found).toStrictEqual(JSON.parse(beatscope('code', 'initConfig', '--db', duck, '--json').out));
  });

  it('refuses export --format parquet with exit 2: DuckDB writes the Parquet files', () => {
    const r = beatscope('export', '--format', 'parquet', '--db', url, '--out', join(dir, 'parquet'));
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('beatscope: export --format parquet reads a DuckDB store, not a PostgreSQL one');
  });

  it('refuses a change from `sql` without --write, and makes it with --write', () => {
    const refused = beatscope('sql', 'delete from unknown_lines', '--db', url);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      'beatscope: cannot execute DELETE in a read-only transaction\n' +
        'hint: the store is opened read-only; pass --write to change it\n',
    );
    const count = () => beatscope('sql', 'select count(*) as n from unknown_lines', '--db', url, '--json').out;
    const before = (JSON.parse(count()) as { rows: { n: number }[] }).rows[0]!.n;
    expect(before).toBeGreaterThan(0);
    expect(beatscope('sql', 'delete from unknown_lines', '--db', url, '--write').code).toBe(0);
    expect((JSON.parse(count()) as { rows: { n: number }[] }).rows).toStrictEqual([{ n: 0 }]);
  });

  it('refuses to read a database that holds no store, with exit 2', () => {
    const r = beatscope('summary', '--db', server.url('postgres'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not a beatscope store \(no schema_version table\)/);
  });

  it('keeps every file once when several ingests of the same logs run at once', async () => {
    const shared = await server.createDatabase('concurrent');
    const runs = await Promise.all(Array.from({ length: 4 }, () => runAsync(['ingest', ...LOGS, '--db', shared])));
    for (const r of runs) expect(r.code, r.err + r.out).toBe(0);
    const got = json(beatscope('summary', '--db', shared, '--json').out);
    expect(got).toStrictEqual(json(beatscope('summary', '--db', duck, '--json').out));
    const files = (
      JSON.parse(beatscope('sql', 'select file_id from files', '--db', shared, '--json').out) as {
        rows: unknown[];
      }
    ).rows;
    expect(files.length).toBe(3);
  });

  it('serves on it: posted lines are stored there and the summary endpoint reads them back', async () => {
    const served = await server.createDatabase('served');
    const spool = join(dir, 'spool');
    const { child, base, exited, output } = await startServe(['--db', served, '--port', '0', '--spool', spool]);
    try {
      // The URL is printed without a password; the spool is the one given.
      expect(output()).toContain(`(store ${served}, spool ${spool})`);
      const body = readFileSync(LOGS[1]!, 'utf8');
      const posted = await fetch(`${base}v1/lines?source=dev-1`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body,
      });
      expect(posted.status).toBe(200);
      const answer = (await posted.json()) as { lines: number; runs: number };
      const summary = (await (await fetch(`${base}api/summary`)).json()) as Record<string, unknown>;
      const stored = json(beatscope('summary', '--db', served, '--json').out);
      // Every line of the file, blank ones included, as `ingest` counts them.
      expect(answer.lines).toBe(body.endsWith('\n') ? body.split('\n').length - 1 : body.split('\n').length);
      expect(stored['lines']).toBe(answer.lines);
      expect(answer.runs).toBeGreaterThan(0);
      expect(summary['sequenceRuns']).toBe(answer.runs);
      expect(summary).toMatchObject(stored);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
