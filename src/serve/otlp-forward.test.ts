/**
 * `serve --otlp-endpoint`: logs made by the real conductor (the demo simulator, two app starts) are posted to a
 * live ingest, one source per round; a receiver on 127.0.0.1 that refuses the first POST with 503 ends up with
 * exactly the traces of the runs those rounds ended, each once, span for span equal to what
 * `beatscope export --format otlp` (writeOtlp) writes for the same store. With the endpoint down, a full queue
 * drops its oldest waiting batch (never the one in flight) and counts the runs dropped.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTraceData } from '../analyses/trace-data.js';
import { otlpTraceId } from '../exports/otlp.js';
import type { OtlpSpan, OtlpTraceRequest } from '../exports/otlp-types.js';
import { writeOtlp } from '../exports/otlp-write.js';
import { ingest } from '../ingest/ingest.js';
import { demoAppDir } from '../simulate/demo-app-dir.js';
import { simulate } from '../simulate/simulate.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { LiveIngest } from './live-ingest.js';
import { OtlpForward } from './otlp-forward.js';

let dir: string;
let receiver: Server;
/** Every POST the receiver got, in order, with the status it answered. */
const received: { status: number; contentType: string | undefined; path: string; body: OtlpTraceRequest }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-otlp-fwd-'));
  await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 2, seed: 5 });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = received.length === 0 ? 503 : 200;
      received.push({
        status,
        contentType: req.headers['content-type'],
        path: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraceRequest,
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
}, 120_000);

afterAll(async () => {
  receiver?.close();
  await rm(dir, { recursive: true, force: true });
});

const spansOf = (request: OtlpTraceRequest): OtlpSpan[] =>
  request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));

describe('serve --otlp-endpoint', () => {
  it('delivers each ended run once, as the export writes it, after a first 503', async () => {
    const logs = (await readdir(join(dir, 'logs'))).filter((f) => f.endsWith('.log')).sort();
    expect(logs.length).toBe(2);
    await mkdir(join(dir, 'spool'));
    const store = await DuckDbStore.open(join(dir, 'live.duckdb'));
    const errors: string[] = [];
    try {
      const live = new LiveIngest(store, join(dir, 'spool'));
      await live.init();
      const forward = new OtlpForward({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`,
        store,
        backoffMs: 50,
        stderr: (line) => errors.push(line),
      });
      forward.follow(live);
      const ended: string[] = [];
      live.onRound((r) => ended.push(...r.endedRuns.map((e) => e.id)));
      for (const [i, log] of logs.entries())
        await live.postLines(`app${i}`, await readFile(join(dir, 'logs', log), 'utf8'));
      await live.idle();
      await forward.flushed();

      // The export of the same store: its traces of ended runs are what must have arrived.
      const data = await loadTraceData(store);
      const path = join(dir, 'export.json');
      const [files, snapshot] = await Promise.all([store.files(), store.loadCodeIndex()]);
      await writeOtlp(path, data, { files, ...(snapshot ? { codeIndex: snapshot.index } : {}) });
      const exported = spansOf(JSON.parse(await readFile(path, 'utf8')) as OtlpTraceRequest);
      const endedRuns = data.runs.filter((r) => r.status !== 'incomplete' && r.startMs !== null);
      expect(endedRuns.length).toBeGreaterThan(5);
      expect(new Set(ended)).toEqual(new Set(data.runs.filter((r) => r.status !== 'incomplete').map((r) => r.id)));
      const endedTraces = new Set(endedRuns.map((r) => otlpTraceId(r.id)));

      expect(received[0]!.status).toBe(503);
      expect(received.length).toBeGreaterThanOrEqual(3); // one refused, one per round (two sources) accepted
      expect(received.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
      // The refused request is sent again unchanged.
      expect(received[1]!.body).toEqual(received[0]!.body);
      const accepted = received.filter((r) => r.status === 200).flatMap((r) => spansOf(r.body));
      const acceptedIds = accepted.map((s) => s.spanId);
      expect(new Set(acceptedIds).size).toBe(acceptedIds.length); // each span once
      expect(new Set(accepted.map((s) => s.traceId))).toEqual(endedTraces);
      const bySpan = (a: OtlpSpan, b: OtlpSpan) => a.spanId.localeCompare(b.spanId);
      expect([...accepted].sort(bySpan)).toEqual(exported.filter((s) => endedTraces.has(s.traceId)).sort(bySpan));

      expect(forward.stats()).toEqual({ sent: endedRuns.length, dropped: 0, failures: 1, queued: 0 });
      expect(errors).toEqual(['beatscope serve: OTLP endpoint: HTTP 503; retrying in 50 ms\n']);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('drops the oldest waiting batch when the queue is full, counts its runs, and keeps the one in flight', async () => {
    const log = (await readdir(join(dir, 'logs'))).filter((f) => f.endsWith('.log')).sort()[0]!;
    const store = await DuckDbStore.open(join(dir, 'drop.duckdb'));
    const refused: string[][] = [];
    const down = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        refused.push(spansOf(JSON.parse(Buffer.concat(chunks).toString('utf8'))).map((s) => s.traceId));
        res.writeHead(503).end();
      });
    });
    await new Promise<void>((ok) => down.listen(0, '127.0.0.1', ok));
    try {
      await ingest([join(dir, 'logs', log)], { store, workers: 0 });
      const runs = (await loadTraceData(store)).runs.filter((r) => r.status !== 'incomplete' && r.startMs !== null);
      expect(runs.length).toBeGreaterThanOrEqual(5);
      const path = join(dir, 'logs', log);
      const ended = (r: (typeof runs)[number]) => ({ key: `${path}:${r.span.startLine}`, id: r.id });
      const forward = new OtlpForward({
        url: `http://127.0.0.1:${(down.address() as AddressInfo).port}/v1/traces`,
        store,
        maxBatches: 2,
        backoffMs: 60_000,
        stderr: () => undefined,
      });
      // Four rounds' worth while the endpoint is down: the first is in flight, the second and third make room.
      forward.enqueue([ended(runs[0]!)]);
      forward.enqueue([ended(runs[1]!), ended(runs[2]!)]);
      forward.enqueue([ended(runs[3]!)]);
      forward.enqueue([ended(runs[4]!)]);
      expect(forward.stats()).toEqual({ sent: 0, dropped: 3, failures: 0, queued: 2 });
      for (let i = 0; i < 200 && refused.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(refused.map((ids) => [...new Set(ids)])).toEqual([[otlpTraceId(runs[0]!.id)]]);
      forward.stop();
      await forward.flushed();
      expect(forward.stats()).toEqual({ sent: 0, dropped: 3, failures: 1, queued: 2 });
    } finally {
      down.close();
      await store.close();
    }
  }, 60_000);
});
