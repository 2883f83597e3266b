/**
 * `beatscope serve` in-process, over real HTTP on 127.0.0.1, on real DuckDB stores and a log made by the real
 * conductor (the demo simulator): lines posted in two halves, cut inside a run, give the store a one-shot ingest
 * of the same file gives; the SSE stream announces the new runs; the token is checked on every endpoint; bodies
 * over the limit, other content types and bad source names are refused; a watched file is read only up to its
 * last complete line; a spool posted in many parts is extended round by round, one file throughout.
 */
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../ingest/ingest.js';
import type { StoreSummary } from '../model/index.js';
import { demoAppDir } from '../simulate/demo-app-dir.js';
import { simulate } from '../simulate/simulate.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { ENTITY_KINDS } from '../store/entity-tables.js';
import { FolderWatch } from './folder-watch.js';
import { createServeServer } from './http-server.js';
import { LiveIngest, type LiveRun } from './live-ingest.js';

const TOKEN = 'test-token-7f3a';
let dir: string;
let lines: string[];
let oneShot: StoreSummary;
let store: DuckDbStore;
let live: LiveIngest;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-serve-'));
  await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 1, seed: 5 });
  const log = (await readdir(join(dir, 'logs'))).find((f) => f.endsWith('.log'))!;
  const text = await readFile(join(dir, 'logs', log), 'utf8');
  lines = text.split('\n').slice(0, -1);
  const reference = await DuckDbStore.open(join(dir, 'one-shot.duckdb'));
  await ingest([join(dir, 'logs', log)], { store: reference, workers: 0 });
  oneShot = await reference.summary();
  await reference.close();

  await mkdir(join(dir, 'spool'));
  store = await DuckDbStore.open(join(dir, 'live.duckdb'));
  live = new LiveIngest(store, join(dir, 'spool'));
  await live.init();
  server = createServeServer({ store, live, token: TOKEN, maxBodyBytes: 256 * 1024 });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server?.close();
  server?.closeAllConnections();
  await live?.idle();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TOKEN}` };
const post = (body: string, source = 'app', headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/lines?source=${source}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...auth, ...headers },
  });

/** Reads SSE events from a fetch body until `until` says stop (or 10 s pass). */
async function readEvents(
  response: Response,
  until: (events: { event: string; data: unknown }[]) => boolean,
): Promise<{ event: string; data: unknown }[]> {
  const events: { event: string; data: unknown }[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + 10_000;
  while (!until(events) && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

describe('beatscope serve over HTTP', () => {
  it('asks for the token on every endpoint', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/api/summary'],
      ['GET', '/api/runs'],
      ['GET', '/api/events'],
      ['GET', '/api/lines?ref=app.log:1'],
      ['POST', '/v1/lines?source=app'],
    ] as const) {
      const r = await fetch(`${base}${path}`, { method, ...(method === 'POST' ? { body: 'x\n' } : {}) });
      expect(r.status, path).toBe(401);
      const wrong = await fetch(`${base}${path}`, { method, headers: { authorization: 'Bearer test-token-7f3b' } });
      expect(wrong.status, path).toBe(401);
    }
    expect((await fetch(`${base}/api/summary?token=${TOKEN}`)).status).toBe(200);
    const page = await fetch(`${base}/?token=${TOKEN}`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>beatscope live</title>');
  });

  it('stores lines posted in two halves, cut inside a run, as a one-shot ingest of the file does, and announces the runs', async () => {
    const events = fetch(`${base}/api/events`, { headers: auth });
    const stream = await events;
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    // Cut in the middle of a run: right after a movement of the second half started.
    const at = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('MovementExecutor: Starting movement')) + 1;
    expect(at).toBeGreaterThan(lines.length / 2);
    const received = readEvents(
      stream,
      (list) =>
        list.filter((e) => e.event === 'runs').flatMap((e) => (e.data as { runs: LiveRun[] }).runs).length >=
        oneShot.sequenceRuns,
    );
    const first = await post(`${lines.slice(0, at).join('\n')}\n`);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      schema: 'beatscope/serve-lines',
      version: 1,
      source: 'app',
      lines: at,
      offset: Buffer.byteLength(`${lines.slice(0, at).join('\n')}\n`),
      runs: expect.any(Number),
    });
    const second = await post(lines.slice(at).join('\n'));
    expect(await second.json()).toMatchObject({ source: 'app', lines: lines.length - at });
    const summary = await (await fetch(`${base}/api/summary`, { headers: auth })).json();
    expect(summary).toEqual({ schema: 'beatscope/summary', version: 1, ...oneShot });

    const list = await received;
    expect(list[0]!.event).toBe('hello');
    expect(list[0]!.data).toMatchObject({ schema: 'beatscope/serve-event', version: 1 });
    const announced = new Map<string, LiveRun>();
    for (const e of list.filter((x) => x.event === 'runs'))
      for (const run of (e.data as { runs: LiveRun[] }).runs) announced.set(run.key, run);
    expect(announced.size).toBe(oneShot.sequenceRuns);
    expect([...announced.values()].filter((r) => r.status === 'completed')).toHaveLength(oneShot.sequenceRunsCompleted);
    const runs = (await (await fetch(`${base}/api/runs?limit=1000`, { headers: auth })).json()).runs as LiveRun[];
    expect(runs.map((r) => r.key).sort()).toEqual([...announced.keys()].sort());
    // A run's log lines (what the live page shows when a run is clicked): from its key to its last line.
    const run = runs.find((r) => r.status === 'completed')!;
    const startLine = Number(run.key.slice(run.key.lastIndexOf(':') + 1));
    const ref = encodeURIComponent(`${run.key}-${run.lastLine}`);
    const shown = await (await fetch(`${base}/api/lines?ref=${ref}`, { headers: auth })).json();
    expect(shown).toMatchObject({ schema: 'beatscope/lines', version: 1, fileState: 'unchanged' });
    expect(run.lastLine).toBeGreaterThan(startLine + 5);
    expect(shown.lines.map((l: { text: string }) => l.text)).toEqual(lines.slice(startLine - 1, run.lastLine));
    const unknown = await fetch(`${base}/api/lines?ref=nope.log:3`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'no stored file is nope.log (beatscope sql "select file_id, path from files" lists them)',
    });
    // A smaller limit: the last runs of the same list (read from the store's tail, not cut from all of it).
    for (const limit of [1, 3]) {
      const last = (await (await fetch(`${base}/api/runs?limit=${limit}`, { headers: auth })).json()).runs;
      expect(last).toEqual(runs.slice(-limit));
    }
  });

  it('keeps concurrent posters apart: three sources posting at once, each in four parts, store three consoles', async () => {
    const before = await store.summary();
    const quarter = Math.ceil(lines.length / 4);
    // Each source's console on another day: ingest stores a content once whatever its name, so three copies of
    // one console would be one (and this one is already stored as `app`).
    const date = /(\d{4}-\d{2}-)(\d{2})T/.exec(lines.find((l) => /\d{4}-\d{2}-\d{2}T/.test(l))!)!;
    const poster = async (source: string, k: number) => {
      const own = lines.map((l) => l.replaceAll(`${date[0]}`, `${date[1]}${10 + k}T`));
      for (let i = 0; i < 4; i++) {
        const r = await post(`${own.slice(i * quarter, (i + 1) * quarter).join('\n')}\n`, source);
        expect(r.status).toBe(200);
      }
    };
    await Promise.all(['c1', 'c2', 'c3'].map(poster));
    const after = await store.summary();
    expect(after.sequenceRuns - before.sequenceRuns).toBe(3 * oneShot.sequenceRuns);
    expect(after.beatRuns - before.beatRuns).toBe(3 * oneShot.beatRuns);
    expect(after.lines - before.lines).toBe(3 * oneShot.lines);
    expect(after.files - before.files).toBe(3);
  });

  it('refuses a body over the limit, another content type and a bad source, storing nothing', async () => {
    const before = (await store.summary()).lines;
    const big = await post(`${'x'.repeat(1000)}\n`.repeat(300));
    expect(big.status).toBe(413);
    expect((await post('a\n', 'app', { 'content-type': 'application/json' })).status).toBe(415);
    for (const source of ['', '../etc', 'a b', 'x'.repeat(65)]) expect((await post('a\n', source)).status).toBe(400);
    expect((await fetch(`${base}/api/nothing`, { headers: auth })).status).toBe(405);
    expect((await store.summary()).lines).toBe(before);
  });
});

describe('after a crash', () => {
  it('stores the spooled lines a killed server had acknowledged to disk but not stored', async () => {
    const spool = join(dir, 'crashed-spool');
    await mkdir(spool);
    await writeFile(join(spool, 'app.log'), `${lines.join('\n')}\n`);
    const fresh = await DuckDbStore.open(join(dir, 'restarted.duckdb'));
    try {
      const restarted = new LiveIngest(fresh, spool);
      await restarted.init();
      const result = await restarted.recoverSpool();
      expect(result?.runs).toHaveLength(oneShot.sequenceRuns);
      expect(await fresh.summary()).toEqual(oneShot);
      // Already stored: a second start reads nothing and announces nothing.
      const again = await new LiveIngest(fresh, spool).recoverSpool();
      expect(again?.outcomes.map((o) => o.status)).toEqual(['unchanged']);
    } finally {
      await fresh.close();
    }
  });
});

describe('watching a folder', () => {
  it('reads a growing file up to its last complete line, then the rest once the line ends', async () => {
    const folder = join(dir, 'watched');
    await mkdir(folder);
    const file = join(folder, 'app.log');
    const watchStore = await DuckDbStore.open(join(dir, 'watch.duckdb'));
    const watchLive = new LiveIngest(watchStore, join(dir, 'spool'));
    const watch = new FolderWatch({ inputs: [folder], intervalMs: 50, ingest: (p) => watchLive.ingestFiles(p) });
    try {
      const half = Math.floor(lines.length / 2);
      const partial = lines[half]!.slice(0, 20);
      await writeFile(file, `${lines.slice(0, half).join('\n')}\n${partial}`);
      expect(await watch.poll()).toEqual([]);
      await appendFile(file, `${lines[half]!.slice(20)}\n`);
      expect(await watch.poll()).toEqual([file]);
      expect((await watchStore.summary()).lines).toBe(half + 1);
      expect(await watch.poll()).toEqual([]);
      await appendFile(file, `${lines.slice(half + 1).join('\n')}\n`);
      expect(await watch.poll()).toEqual([file]);
      const summary = await watchStore.summary();
      expect({ ...summary, diagnostics: 0 }).toEqual({ ...oneShot, diagnostics: 0 });
    } finally {
      await watch.stop();
      await watchLive.idle();
      await watchStore.close();
    }
  });
});

describe('reading a spool as it grows', () => {
  it('extends one file round by round, storing entity for entity what a one-shot ingest of the file stores', async () => {
    const spool = join(dir, 'growing-spool');
    await mkdir(spool);
    const growingStore = await DuckDbStore.open(join(dir, 'growing.duckdb'));
    const writes: { fileId: string; extend: boolean }[] = [];
    const beginFile = growingStore.beginFile.bind(growingStore);
    growingStore.beginFile = (fileId, options) => {
      writes.push({ fileId, extend: options?.extend !== undefined });
      return beginFile(fileId, options);
    };
    const growingLive = new LiveIngest(growingStore, spool);
    const reference = await DuckDbStore.open(join(dir, 'growing-reference.duckdb'));
    try {
      // Twelve posts cut at arbitrary lines, inside runs and beats.
      const cuts = [0, 7, 40, 41, 90, 200, 333, 500, 777, 900, 1200, 1500, lines.length].filter(
        (n) => n <= lines.length,
      );
      for (let i = 1; i < cuts.length; i++) {
        if (cuts[i] === cuts[i - 1]) continue;
        await growingLive.postLines('app', `${lines.slice(cuts[i - 1], cuts[i]).join('\n')}\n`);
      }
      // The first round stores the file, every later one extends that same file.
      expect(writes.length).toBe(cuts.length - 1);
      expect(new Set(writes.map((w) => w.fileId)).size).toBe(1);
      expect(writes.map((w) => w.extend)).toEqual(writes.map((_, i) => i > 0));

      await ingest([join(spool, 'app.log')], { store: reference, workers: 0 });
      const [liveFile] = await growingStore.files();
      const [oneFile] = await reference.files();
      expect({ ...liveFile, fileId: '', mtimeMs: 0 }).toEqual({ ...oneFile, fileId: '', mtimeMs: 0 });
      const same = (entities: readonly unknown[], fileId: string) =>
        entities.map((e) => JSON.stringify(e).replaceAll(fileId, 'FILE'));
      for (const kind of ENTITY_KINDS) {
        expect(same(await growingStore.entities(kind), liveFile!.fileId), kind).toEqual(
          same(await reference.entities(kind), oneFile!.fileId),
        );
      }
    } finally {
      await growingLive.idle();
      await growingStore.close();
      await reference.close();
    }
  });
});

describe('a watched file replaced by another', () => {
  it('is read again from its start and replaces what its path held', async () => {
    const folder = join(dir, 'rotated');
    await mkdir(folder);
    const file = join(folder, 'app.log');
    const rotatedStore = await DuckDbStore.open(join(dir, 'rotated.duckdb'));
    const rotatedLive = new LiveIngest(rotatedStore, join(dir, 'spool'));
    try {
      const half = Math.floor(lines.length / 2);
      await writeFile(file, `${lines.slice(0, half).join('\n')}\n`);
      await rotatedLive.ingestFiles([file]);
      await appendFile(file, `${lines.slice(half, half + 50).join('\n')}\n`);
      await rotatedLive.ingestFiles([file]);
      expect((await rotatedStore.summary()).lines).toBe(half + 50);
      // Rotated: the path now holds the console's second half only (truncated and written anew, same size or not).
      await writeFile(file, `${lines.slice(half).join('\n')}\n`);
      const round = await rotatedLive.ingestFiles([file]);
      expect(round.outcomes.map((o) => o.status)).toEqual(['ingested']);
      const files = await rotatedStore.files();
      expect(files.map((f) => [f.path, f.lines])).toEqual([[file, lines.length - half]]);
      const reference = await DuckDbStore.open(join(dir, 'rotated-reference.duckdb'));
      try {
        await ingest([file], { store: reference, workers: 0 });
        expect({ ...(await rotatedStore.summary()) }).toEqual({ ...(await reference.summary()) });
      } finally {
        await reference.close();
      }
    } finally {
      await rotatedLive.idle();
      await rotatedStore.close();
    }
  });
});

describe('reading between rounds', () => {
  it('reads again, between rounds, what a round overlapped, and only that', async () => {
    await mkdir(join(dir, 'between-spool'));
    const readStore = await DuckDbStore.open(join(dir, 'between.duckdb'));
    const readLive = new LiveIngest(readStore, join(dir, 'between-spool'));
    try {
      const half = Math.floor(lines.length / 2);
      await readLive.postLines('app', `${lines.slice(0, half).join('\n')}\n`);
      let reads = 0;
      const quiet = await readLive.readBetweenRounds(async () => {
        reads++;
        return readStore.summary();
      });
      expect([reads, quiet.lines]).toEqual([1, half]);

      // The first read starts before a post's round and ends after it: what it read is not kept.
      reads = 0;
      let posted: Promise<unknown> | undefined;
      const read = await readLive.readBetweenRounds(async () => {
        reads++;
        const before = await readStore.summary();
        if (reads === 1) {
          const roundEnded = new Promise((ok) => readLive.onRound(ok));
          posted = readLive.postLines('app', `${lines.slice(half).join('\n')}\n`);
          await roundEnded;
        }
        return before;
      });
      await posted;
      expect([reads, read.lines]).toEqual([2, lines.length]);
    } finally {
      await readLive.idle();
      await readStore.close();
    }
  });
});
