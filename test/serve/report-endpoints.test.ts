/**
 * `GET /api/reports/<name>` of `beatscope serve` against `beatscope report <name> --format json` (the built CLI)
 * on the same DuckDB store: lines of a log made by the real conductor (the demo simulator) posted in two halves,
 * the demo app indexed into the store. Every registered report's body equals what the command prints (but for
 * `generatedAt`), with and without options; the second post changes them; requests are answered from one
 * computation per ingest round, shared by concurrent requests; bad queries and unknown reports are refused.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { indexInto } from '../../src/cli/index-into.js';
import { DEFAULT_SUPPRESSIONS_PATH, loadSuppressions } from '../../src/reports/findings/suppressions.js';
import { reportNames } from '../../src/reports/registry.js';
import { createServeServer } from '../../src/serve/http-server.js';
import { LiveIngest } from '../../src/serve/live-ingest.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { beatscope } from '../cli/run-beatscope.js';

let dir: string;
let db: string;
let lines: string[];
let store: DuckDbStore;
let live: LiveIngest;
let server: Server | undefined;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-serve-reports-'));
  await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 1, seed: 5 });
  const log = (await readdir(join(dir, 'logs'))).find((f) => f.endsWith('.log'))!;
  lines = (await readFile(join(dir, 'logs', log), 'utf8')).split('\n').slice(0, -1);
  await mkdir(join(dir, 'spool'));
  db = join(dir, 'live.duckdb');
  store = await DuckDbStore.open(db);
  await indexInto(store, demoAppDir());
  live = new LiveIngest(store, join(dir, 'spool'));
  await live.init();
  server = createServeServer({
    store,
    live,
    maxBodyBytes: 4 << 20,
    suppressions: await loadSuppressions(DEFAULT_SUPPRESSIONS_PATH),
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await stopServer();
  await rm(dir, { recursive: true, force: true });
});

async function stopServer(): Promise<void> {
  if (!server) return;
  server.close();
  server.closeAllConnections();
  server = undefined;
  await live.idle();
  await store.close();
}

const post = async (text: string) => {
  const r = await fetch(`${base}/v1/lines?source=app`, {
    method: 'POST',
    body: text,
    headers: { 'content-type': 'text/plain' },
  });
  expect(r.status).toBe(200);
};
const getJson = async (path: string) => {
  const r = await fetch(`${base}${path}`);
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
};
/** The body without its render time, which differs between two renders of the same content. */
const content = (text: string) => {
  const { generatedAt, ...rest } = JSON.parse(text) as Record<string, unknown>;
  expect(typeof generatedAt).toBe('string');
  return rest;
};

/** Bodies of the last round, by request path: compared with the CLI's output once the server is stopped. */
const served = new Map<string, Record<string, unknown>>();

describe('serve report endpoints', () => {
  it('answers every report, from one computation per round shared by concurrent requests', async () => {
    const half = Math.floor(lines.length / 2);
    await post(`${lines.slice(0, half).join('\n')}\n`);
    const first = new Map<string, Record<string, unknown>>();
    const files = vi.spyOn(store, 'files');
    const answers = await Promise.all([...reportNames, ...reportNames].map((n) => getJson(`/api/reports/${n}`)));
    // loadReportInput reads the stored files once per computation.
    expect(files).toHaveBeenCalledTimes(1);
    for (const [i, a] of answers.entries()) {
      expect([a.status, a.type]).toEqual([200, 'application/json']);
      const name = reportNames[i % reportNames.length]!;
      expect(JSON.parse(a.text)).toMatchObject({ schema: `beatscope/${name}` });
      first.set(name, content(a.text));
    }
    // Asked again in the same round: the same bytes, nothing read from the store.
    expect((await getJson('/api/reports/flows')).text).toBe(answers[reportNames.indexOf('flows')]!.text);
    expect(files).toHaveBeenCalledTimes(1);

    await post(`${lines.slice(half).join('\n')}\n`);
    // The round itself reads the stored files (for the runs it announces): count the reports' reads only.
    files.mockClear();
    for (const name of reportNames) {
      const a = await getJson(`/api/reports/${name}`);
      expect(a.status).toBe(200);
      served.set(`/api/reports/${name}`, content(a.text));
    }
    expect(files).toHaveBeenCalledTimes(1);
    files.mockRestore();
    // The second half of the log holds more runs: the reports computed on it differ from the first ones.
    for (const name of ['heatmap', 'flows', 'sequences', 'timeline'])
      expect(served.get(`/api/reports/${name}`)).not.toEqual(first.get(name));
    const flows = served.get('/api/reports/flows') as { sequences?: unknown[] };
    expect(flows.sequences?.length).toBeGreaterThan(0);
  }, 120_000);

  it('takes the options the report command has as query parameters', async () => {
    for (const path of ['/api/reports/heatmap?top=2', '/api/reports/heatmap?top=0']) {
      const a = await getJson(path);
      expect(a.status).toBe(200);
      served.set(path, content(a.text));
    }
    const state = served.get('/api/reports/state') as { keys: { key: string }[] };
    expect(state.keys.length).toBeGreaterThan(1);
    const key = state.keys[0]!.key;
    const one = await getJson(`/api/reports/state?key=${encodeURIComponent(key)}`);
    expect(one.status).toBe(200);
    const filtered = content(one.text) as { key: string; keys: { key: string }[] };
    expect([filtered.key, filtered.keys.map((k) => k.key)]).toEqual([key, [key]]);
    served.set(`/api/reports/state?key=${encodeURIComponent(key)}`, filtered);
    // The timeline of one stored log file, named as `report timeline --log` names it (here: a file id prefix).
    const file = (await store.files())[0]!;
    const path = `/api/reports/timeline?log=${file.fileId.slice(0, 8)}`;
    const timeline = await getJson(path);
    expect(timeline.status).toBe(200);
    const body = content(timeline.text) as { window: { logFile: string; wholeFile: boolean } };
    expect(body.window).toMatchObject({ logFile: file.path, wholeFile: true });
    served.set(path, body);
    // Around a line of it, named as `report timeline --at` names one.
    const atPath = `/api/reports/timeline?at=${encodeURIComponent(`${file.fileId.slice(0, 8)}:40`)}`;
    const around = await getJson(atPath);
    expect(around.status).toBe(200);
    const aroundBody = content(around.text) as { window: { logFile: string; aroundLine: number } };
    expect(aroundBody.window).toMatchObject({ logFile: file.path, wholeFile: true, aroundLine: 40 });
    served.set(atPath, aroundBody);
  });

  it('refuses unknown reports and bad or foreign parameters with a one-line JSON error', async () => {
    const unknown = await getJson('/api/reports/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain('\n');
    expect(JSON.parse(unknown.text)).toEqual({
      error: `unknown report "nope": choose one of ${reportNames.join(', ')}`,
      reports: reportNames,
    });
    const bad: [string, string][] = [
      ['/api/reports/heatmap?top=-1', '?top= must be a whole number from 0 to 1000000, got "-1"'],
      ['/api/reports/heatmap?top=2x', '?top= must be a whole number from 0 to 1000000, got "2x"'],
      ['/api/reports/heatmap?top=1&top=2', 'give ?top= once'],
      ['/api/reports/flows?top=3', 'the flows report has no ?top= parameter: it takes none'],
      ['/api/reports/heatmap?key=x', 'the heatmap report has no ?key= parameter: it takes ?top='],
      ['/api/reports/state?key=', '?key= must not be empty'],
      ['/api/reports/timeline?log=', '?log= must not be empty'],
      ['/api/reports/state?log=x.log', 'the state report has no ?log= parameter: it takes ?key=, ?request='],
      [
        '/api/reports/timeline?log=a.log&at=a.log:3',
        '?log= and ?at= both name the log file: give one (?at=<file>:<line> names a line of it)',
      ],
    ];
    for (const [path, error] of bad) {
      const a = await getJson(path);
      expect([path, a.status, JSON.parse(a.text).error]).toEqual([path, 400, error]);
    }
    const missing = await getJson('/api/reports/timeline?log=nope.log');
    expect([missing.status, JSON.parse(missing.text).error]).toEqual([
      404,
      'no stored file is nope.log (beatscope sql "select file_id, path from files" lists them)',
    ]);
    const noLine = await getJson('/api/reports/timeline?at=nope.log:3');
    expect([noLine.status, JSON.parse(noLine.text).error]).toEqual([
      404,
      'no stored file is nope.log (beatscope sql "select file_id, path from files" lists them)',
    ]);
    expect((await fetch(`${base}/api/reports/flows`, { method: 'POST' })).status).toBe(405);
  });

  it("serves the static site's pages from the same computation, and 404s pages it has not", async () => {
    const overview = await fetch(`${base}/reports/index.html`);
    expect([overview.status, overview.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const html = await overview.text();
    const runs = (served.get('/api/reports/flows') as { summary: { sequenceRuns: number } }).summary.sequenceRuns;
    expect(html).toContain(`${runs.toLocaleString('en-US')} sequence runs`);
    // The page may connect to its own server (the event stream), nowhere else.
    expect(html).toContain("default-src 'none'; connect-src 'self';");
    for (const name of reportNames) {
      const page = await fetch(`${base}/reports/${name}.html`);
      expect([name, page.status]).toEqual([name, 200]);
      expect(await page.text()).toContain('<a href="heatmap.html"');
    }
    const missing = await fetch(`${base}/reports/nope.html`);
    expect([missing.status, (await missing.json()).reports]).toEqual([404, reportNames]);
    const redirect = await fetch(`${base}/reports/`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/reports/index.html']);
  }, 60_000);

  it('equals `beatscope report <name> --format json` on the same store', async () => {
    await stopServer();
    const args = (path: string): string[] => {
      const url = new URL(path, 'http://x');
      const name = url.pathname.split('/').pop()!;
      const top = url.searchParams.get('top');
      const key = url.searchParams.get('key');
      const log = url.searchParams.get('log');
      const at = url.searchParams.get('at');
      return [
        'report',
        name,
        ...(key === null ? [] : [key]),
        ...(top === null ? [] : ['--top', top]),
        ...(log === null ? [] : ['--log', log]),
        ...(at === null ? [] : ['--at', at]),
      ];
    };
    expect(served.size).toBe(reportNames.length + 5);
    for (const [path, body] of served) {
      const r = beatscope(...args(path), '--format', 'json', '--db', db);
      expect([path, r.code, r.err]).toEqual([path, 0, '']);
      expect(content(r.out), path).toEqual(body);
    }
  }, 120_000);
});
