/**
 * The built `beatscope serve` binary: refuses a non-loopback address without a token (exit 2, nothing bound),
 * serves `/api/summary` equal to `summary --json` of its store, ingests a log dropped into a watched folder, and
 * stops cleanly on SIGTERM; a bad `--alerts` file is one line and exit 2 before anything starts, and a
 * no-telemetry rule fires on stdout and in the `--alerts-log` once, and resolves when a log is posted; a bad
 * `--otlp-endpoint` is exit 2, and a good one receives the posted log's runs as `export --format otlp` writes them.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beatscope, ROOT, SMALL_LOG } from './run-beatscope.js';
import { startServe } from './start-serve.js';

const SECOND_LOG = join(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log');
/** Three completed runs with start times (so each is an OTLP trace). */
const TIMED_LOG = join(ROOT, 'test/fixtures/corpus/logs/mixed-envelopes.doc-excerpts.log');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beatscope-serve-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('beatscope serve', () => {
  it('refuses to bind anything but loopback without a token, and a short token', () => {
    const r = beatscope('serve', '--host', '0.0.0.0', '--db', join(dir, 'x.duckdb'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'beatscope: refusing to serve on 0.0.0.0 without a token: anyone who can reach it could read and post telemetry\n' +
        'hint: pass --token <secret> (or set BEATSCOPE_TOKEN), or keep the default --host 127.0.0.1\n',
    );
    const short = beatscope('serve', '--token', 'abc', '--db', join(dir, 'x.duckdb'));
    expect([short.code, short.err]).toEqual([2, 'beatscope: --token must be at least 8 characters\n']);
  });

  it('serves the summary of its store, ingests what lands in a watched folder, stops on SIGTERM', async () => {
    const db = join(dir, 'telemetry.duckdb');
    expect(beatscope('ingest', SMALL_LOG, '--db', db).code).toBe(0);
    const before = JSON.parse(beatscope('summary', '--json', '--db', db).out);
    const watched = join(dir, 'watched');
    mkdirSync(watched);
    const { child, base, output } = await startServe([
      '--db',
      db,
      '--port',
      '0',
      '--watch',
      watched,
      '--poll-ms',
      '100',
    ]);
    try {
      expect(await (await fetch(`${base}api/summary`)).json()).toEqual(before);
      copyFileSync(SECOND_LOG, join(watched, 'app.log'));
      let after = before;
      // A poll may catch the copy half written: the rest is read by a later round.
      for (let i = 0; i < 100 && after.sequenceRuns < before.sequenceRuns + 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await (await fetch(`${base}api/summary`)).json();
      }
      expect(after.files).toBe(before.files + 1);
      expect(after.sequenceRuns).toBe(before.sequenceRuns + 3);
    } finally {
      const exited = new Promise<number | null>((ok) => child.on('exit', ok));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(output()).toMatch(/beatscope serve: stopped\n$/);
  });

  it('refuses a bad alert rules file in one line, exit 2, before the store is opened', () => {
    const rules = join(dir, 'bad-rules.json');
    writeFileSync(
      rules,
      JSON.stringify({ schema: 'beatscope/alert-rules', version: 1, rules: [{ id: 'q', kind: 'no-telemetry' }] }),
    );
    const db = join(dir, 'never.duckdb');
    const r = beatscope('serve', '--db', db, '--alerts', rules);
    expect([r.code, r.err]).toEqual([
      2,
      `beatscope: bad alert rules in ${rules}: rules[0] (q): "minutes" must be a number ≥ 0\n`,
    ]);
    expect(existsSync(db)).toBe(false);
    const missing = beatscope('serve', '--db', db, '--alerts', join(dir, 'nope.json'));
    expect([missing.code, missing.err]).toEqual([
      2,
      `beatscope: cannot read --alerts ${join(dir, 'nope.json')}: ENOENT\n`,
    ]);
  });

  it('fires a no-telemetry alert once on stdout and in --alerts-log, and resolves it when lines arrive', async () => {
    const rules = join(dir, 'rules.json');
    const log = join(dir, 'alerts.jsonl');
    // 0.01 minutes: 600 ms of silence.
    writeFileSync(
      rules,
      JSON.stringify({
        schema: 'beatscope/alert-rules',
        version: 1,
        rules: [{ id: 'quiet', kind: 'no-telemetry', minutes: 0.01 }],
      }),
    );
    const { child, base, output } = await startServe([
      '--db',
      join(dir, 'alerts.duckdb'),
      '--port',
      '0',
      '--alerts',
      rules,
      '--alerts-log',
      log,
      '--alerts-eval-ms',
      '100',
    ]);
    try {
      for (let i = 0; i < 100 && !output().includes('alert firing'); i++) await new Promise((r) => setTimeout(r, 50));
      // Several more evaluations while it stays quiet: still one firing.
      await new Promise((r) => setTimeout(r, 500));
      const posted = await fetch(`${base}v1/lines?source=app`, {
        method: 'POST',
        body: readFileSync(SMALL_LOG),
        headers: { 'content-type': 'text/plain' },
      });
      expect(posted.status).toBe(200);
      for (let i = 0; i < 100 && !output().includes('alert resolved'); i++) await new Promise((r) => setTimeout(r, 50));
      const alerts = (await (await fetch(`${base}api/alerts`)).json()) as { recent: { state: string }[] };
      expect(alerts.recent.map((a) => a.state)).toEqual(['firing', 'resolved']);
    } finally {
      const exited = new Promise<number | null>((ok) => child.on('exit', ok));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(output().match(/^beatscope serve: alert .*$/gm)).toEqual([
      expect.stringMatching(/^beatscope serve: alert firing quiet: no telemetry for 0\.\d min \(rule: 0.01 min\)$/),
      expect.stringMatching(/^beatscope serve: alert resolved quiet: resolved: no telemetry/),
    ]);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.schema, l.rule, l.state])).toEqual([
      ['beatscope/alert', 'quiet', 'firing'],
      ['beatscope/alert', 'quiet', 'resolved'],
    ]);
  });

  it('refuses an --otlp-endpoint that is not an http(s) URL, exit 2, before the store is opened', () => {
    const db = join(dir, 'never-otlp.duckdb');
    const r = beatscope('serve', '--db', db, '--otlp-endpoint', 'localhost:4318/v1/traces');
    expect([r.code, r.err]).toEqual([
      2,
      'beatscope: --otlp-endpoint must be an http:// or https:// URL, got "localhost:4318/v1/traces"\n' +
        'hint: e.g. --otlp-endpoint http://127.0.0.1:4318/v1/traces (the path is used as given)\n',
    ]);
    expect(existsSync(db)).toBe(false);
  });

  it('forwards the runs of posted lines to --otlp-endpoint: the spans export --format otlp gives, once', async () => {
    const bodies: { traceId: string }[][] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[];
        };
        bodies.push(request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    const db = join(dir, 'otlp.duckdb');
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
    // Its own spool: the other tests' posted lines stay out of this store.
    const spool = join(dir, 'otlp-spool');
    const { child, base, output } = await startServe([
      '--db',
      db,
      '--spool',
      spool,
      '--port',
      '0',
      '--otlp-endpoint',
      endpoint,
    ]);
    try {
      const posted = await fetch(`${base}v1/lines?source=app`, {
        method: 'POST',
        body: readFileSync(TIMED_LOG),
        headers: { 'content-type': 'text/plain' },
      });
      expect(posted.status).toBe(200);
      for (let i = 0; i < 400 && bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      const exited = new Promise<number | null>((ok) => child.on('exit', ok));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      receiver.close();
    }
    const traces = new Set(bodies.flat().map((s) => s.traceId));
    expect(output().match(/^beatscope serve: OTLP: .*$/m)?.[0]).toBe(
      `beatscope serve: OTLP: ${traces.size} runs sent, 0 dropped (queue full), 0 not sent`,
    );
    expect(bodies.length).toBe(1);
    expect(traces.size).toBe(3); // the log's three runs, all completed
    const out = join(dir, 'otlp-export.json');
    expect(beatscope('export', '--format', 'otlp', '--db', db, '--out', out).code).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as {
      resourceSpans: { scopeSpans: { spans: { traceId: string; spanId: string }[] }[] }[];
    };
    const exportedSpans = exported.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    // Every forwarded span is in the export, under the same trace id.
    const key = (s: { traceId: string; spanId?: string }) => `${s.traceId}/${s.spanId}`;
    const exportedKeys = new Set(exportedSpans.map(key));
    expect(bodies.flat().every((s) => exportedKeys.has(key(s)))).toBe(true);
    expect(exportedSpans.length).toBe(bodies.flat().length);
  });
});
