/**
 * `serve --alerts` over real HTTP on 127.0.0.1, on a real DuckDB store and logs made by the real conductor (the
 * demo simulator), with an injected server clock: a handler-p95 rule fires when the first half of a console is
 * posted and resolves when the rest of it brings the p95 back under the threshold; a no-telemetry rule fires
 * after a silence and resolves when a later console is posted; evaluations in between (the timer) fire nothing
 * again. A local webhook receives exactly one firing and one resolution per incident, although it refuses the
 * first POST (retried); the JSONL log, GET /api/alerts and the SSE stream carry the same events.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../analyses/percentile.js';
import { ingest } from '../ingest/ingest.js';
import { demoAppDir } from '../simulate/demo-app-dir.js';
import type { GroundTruth } from '../simulate/ground-truth.js';
import { simulate } from '../simulate/simulate.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { AlertDelivery } from './alert-delivery.js';
import { AlertEngine, type AlertEvent } from './alert-engine.js';
import { parseAlertRules } from './alert-rules.js';
import { createServeServer } from './http-server.js';
import { LiveIngest } from './live-ingest.js';

let dir: string;
let truth: GroundTruth;
let first: string[];
let second: string[];
let laterLog: string;
let handler: string;
let thresholdMs: number;
let logEndMs: number;
let clock: number;
let store: DuckDbStore;
let live: LiveIngest;
let engine: AlertEngine;
let delivery: AlertDelivery;
let server: Server;
let base: string;
let hook: Server;
const hookRequests: { status: number; body: AlertEvent }[] = [];
const printed: string[] = [];

/** Timed runs per handler, and the latest settle time (epoch ms), of one log cut. */
async function handlerTimes(path: string): Promise<{ times: Map<string, number[]>; lastMs: number }> {
  const reference = await DuckDbStore.open(':memory:');
  try {
    await ingest([path], { store: reference, workers: 0 });
    const times = new Map<string, number[]>();
    let lastMs = 0;
    for (const h of await reference.entities('handler-run')) {
      if (h.settledMs !== null) lastMs = Math.max(lastMs, h.settledMs);
      if (h.durationMs === null) continue;
      times.set(h.handler, [...(times.get(h.handler) ?? []), h.durationMs]);
    }
    return { times, lastMs };
  } finally {
    await reference.close();
  }
}

const p95 = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.95,
  )!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-alerts-'));
  truth = await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 2, seed: 5 });
  const logs = (await readdir(join(dir, 'logs'))).filter((f) => f.endsWith('.log')).sort();
  expect(logs).toHaveLength(2);
  const lines = (await readFile(join(dir, 'logs', logs[0]!), 'utf8')).split('\n').slice(0, -1);
  laterLog = await readFile(join(dir, 'logs', logs[1]!), 'utf8');
  first = lines.slice(0, Math.floor(lines.length / 2));
  second = lines.slice(first.length);
  await mkdir(join(dir, 'cuts'));
  await writeFile(join(dir, 'cuts', 'half.log'), `${first.join('\n')}\n`);
  await writeFile(join(dir, 'cuts', 'whole.log'), `${lines.join('\n')}\n`);
  const half = await handlerTimes(join(dir, 'cuts', 'half.log'));
  const whole = await handlerTimes(join(dir, 'cuts', 'whole.log'));
  logEndMs = whole.lastMs;
  // A handler whose p95 over the first half is above its p95 over the whole console: a threshold between the
  // two breaks on the first half and holds again once the rest is in.
  const candidates = [...half.times]
    .filter(([, t]) => t.length >= 2)
    .map(([name, t]) => ({ name, halfP95: p95(t), wholeP95: p95(whole.times.get(name)!) }))
    .filter((c) => c.wholeP95 < c.halfP95 - 0.5)
    .sort((a, b) => b.halfP95 - b.wholeP95 - (a.halfP95 - a.wholeP95));
  expect(candidates.length).toBeGreaterThan(0);
  handler = candidates[0]!.name;
  thresholdMs = (candidates[0]!.halfP95 + candidates[0]!.wholeP95) / 2;

  hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The first POST is refused: delivery must retry it, and deliver it once.
      const status = hookRequests.length === 0 ? 503 : 200;
      hookRequests.push({ status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertEvent });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok));

  // The server clock starts a minute after the first console's last handler settled.
  clock = logEndMs + 60_000;
  const rules = parseAlertRules(
    JSON.stringify({
      schema: 'beatscope/alert-rules',
      version: 1,
      rules: [
        { id: 'slow-handler', kind: 'handler-p95', handler, windowMinutes: 24 * 60, thresholdMs, minCount: 2 },
        { id: 'silence', kind: 'no-telemetry', minutes: 5 },
      ],
    }),
  );
  await mkdir(join(dir, 'spool'));
  store = await DuckDbStore.open(join(dir, 'live.duckdb'));
  live = new LiveIngest(store, join(dir, 'spool'));
  await live.init();
  engine = new AlertEngine({ rules, store, now: () => clock });
  delivery = new AlertDelivery({
    logFile: join(dir, 'alerts.jsonl'),
    webhook: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
    backoffMs: 50,
    stdout: (line) => printed.push(line),
    stderr: (line) => printed.push(line),
  });
  engine.onAlert((event) => delivery.deliver(event));
  engine.follow(live, (error) => {
    throw error;
  });
  server = createServeServer({ store, live, alerts: engine, maxBodyBytes: 4 << 20 });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  server?.close();
  server?.closeAllConnections();
  hook?.close();
  await live?.idle();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const post = async (lines: string, source: string) => {
  const response = await fetch(`${base}/v1/lines?source=${source}`, {
    method: 'POST',
    body: lines,
    headers: { 'content-type': 'text/plain' },
  });
  expect(response.status).toBe(200);
  await engine.settled();
};

const alertsApi = async () =>
  (await (await fetch(`${base}/api/alerts`)).json()) as {
    schema: string;
    version: number;
    rules: boolean;
    open: AlertEvent[];
    recent: AlertEvent[];
  };

/** Reads `alert` SSE events until `count` have come (or 10 s pass). */
async function sseAlerts(response: Response, count: number): Promise<AlertEvent[]> {
  const alerts: AlertEvent[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + 10_000;
  while (alerts.length < count && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event === 'alert' && data) alerts.push(JSON.parse(data) as AlertEvent);
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return alerts;
}

describe('serve --alerts', () => {
  it('fires once per incident and resolves once, on stdout, the JSONL log, the webhook, the API and SSE', async () => {
    const stream = fetch(`${base}/api/events`);
    const sse = (await stream).ok ? sseAlerts(await stream, 4) : Promise.resolve([]);

    expect(await alertsApi()).toMatchObject({ schema: 'beatscope/serve-alerts', version: 1, rules: true, open: [] });

    // The first half breaks the p95 rule: it fires, once.
    await post(`${first.join('\n')}\n`, 'app');
    let api = await alertsApi();
    expect(api.open.map((a) => [a.rule, a.subject, a.state])).toEqual([['slow-handler', handler, 'firing']]);
    expect(api.open[0]!.value).toBeGreaterThan(thresholdMs);
    expect(api.open[0]!.firedAtMs).toBe(clock);
    // Timer ticks while it still breaks: nothing new.
    for (let i = 0; i < 3; i++) expect(await engine.evaluate()).toEqual([]);

    // The rest of the console brings the handler's p95 back under the threshold: it resolves.
    clock += 30_000;
    await post(`${second.join('\n')}\n`, 'app');
    api = await alertsApi();
    expect(api.open).toEqual([]);
    expect(api.recent.map((a) => [a.rule, a.state])).toEqual([
      ['slow-handler', 'firing'],
      ['slow-handler', 'resolved'],
    ]);
    expect(api.recent[1]!.resolvedAtMs).toBe(clock);

    // Silence: 4 minutes is within the rule, 6 breaks it, a later console ends it.
    clock += 4 * 60_000;
    expect(await engine.evaluate()).toEqual([]);
    clock += 2 * 60_000;
    expect((await engine.evaluate()).map((a) => [a.rule, a.state])).toEqual([['silence', 'firing']]);
    expect(await engine.evaluate()).toEqual([]);
    await post(laterLog, 'later');
    api = await alertsApi();
    expect(api.open).toEqual([]);
    const expected = [
      ['slow-handler', 'firing'],
      ['slow-handler', 'resolved'],
      ['silence', 'firing'],
      ['silence', 'resolved'],
    ];
    expect(api.recent.map((a) => [a.rule, a.state])).toEqual(expected);

    expect((await sse).map((a) => [a.rule, a.state])).toEqual(expected);
    await delivery.flushed();
    // One refused POST, retried; then each event delivered exactly once, in order.
    expect(hookRequests.map((r) => r.status)).toEqual([503, 200, 200, 200, 200]);
    expect(hookRequests.filter((r) => r.status === 200).map((r) => [r.body.rule, r.body.state])).toEqual(expected);
    expect(hookRequests[0]!.body).toEqual(hookRequests[1]!.body);
    const logged = (await readFile(join(dir, 'alerts.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AlertEvent);
    expect(logged).toEqual(api.recent);
    expect(printed.filter((l) => l.includes('alert firing'))).toHaveLength(2);
    expect(printed.filter((l) => l.includes('alert resolved'))).toHaveLength(2);
    expect(printed[0]).toContain(`alert firing slow-handler [${handler}]`);
  }, 60_000);

  it('fires an error-rate alert per failing handler, the ones the simulator made throw, and resolves them', async () => {
    // Runs after the test above: the store holds both consoles.
    expect(truth.failingHandlers.length).toBeGreaterThan(0);
    let now = logEndMs + 3 * 60 * 60_000;
    const rates = new AlertEngine({
      rules: parseAlertRules(
        JSON.stringify({
          schema: 'beatscope/alert-rules',
          version: 1,
          rules: [{ id: 'errors', kind: 'error-rate', of: 'handler', windowMinutes: 24 * 60, threshold: 0 }],
        }),
      ),
      store,
      now: () => now,
    });
    const fired = await rates.evaluate();
    const failing = [...new Set(truth.failingHandlers.map((h) => h.handler))].sort();
    expect(fired.map((a) => a.subject).sort()).toEqual(failing);
    for (const alert of fired) {
      const occurrences = truth.failingHandlers
        .filter((h) => h.handler === alert.subject)
        .reduce((n, h) => n + h.occurrences, 0);
      expect(alert.state).toBe('firing');
      // value = failed / runs in the window, over `count` runs: the failed ones are the simulator's throws.
      expect(Math.round(alert.value! * alert.count!)).toBe(occurrences);
    }
    expect(await rates.evaluate()).toEqual([]);
    // Two days later the window is empty: every one resolves, once.
    now += 2 * 24 * 60 * 60_000;
    const resolved = await rates.evaluate();
    expect(resolved.map((a) => [a.subject, a.state]).sort()).toEqual(failing.map((h) => [h, 'resolved']));
    expect(await rates.evaluate()).toEqual([]);
    expect(rates.openAlerts()).toEqual([]);
  });
});
