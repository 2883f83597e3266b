/**
 * The graph and state analyses on logs of the real conductor (the demo simulator, 3 sessions, seed 7) ingested
 * into DuckDB with the demo app indexed: every edge count reconciles with SQL over the store, the nested play
 * the simulator's ground truth records shows up as a `chains` edge, and the defined routes are documented.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/analyses/graph/build-graph.js';
import type { GraphReport } from '../../src/analyses/graph/graph-types.js';
import { buildState } from '../../src/analyses/state/build-state.js';
import { loadTraceData, type TraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { type DemoTrace, demoTrace } from '../demo/demo-trace.js';

let demo: DemoTrace;
let work: string;
let store: DuckDbStore;
let data: TraceData;
let graph: GraphReport;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 3, seed: 7 });
  work = await mkdtemp(join(tmpdir(), 'beatscope-graph-'));
  store = await DuckDbStore.open(join(work, 'demo.duckdb'));
  await ingest([demo.dir], { store, workers: 0 });
  data = await loadTraceData(store);
  graph = buildGraph(data, demo.code);
}, 180_000);
afterAll(async () => {
  await store?.close();
  await demo?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
const one = async (sql: string) => Number(Object.values((await store.query(sql))[0]!)[0]);

describe('buildGraph on the demo logs', () => {
  it('counts each writer → key data edge as the handler-level baton_diffs rows of its writer that touch the key', async () => {
    const data = graph.edges.filter(
      (e) => e.kind === 'data' && e.from.startsWith('handler:') && e.to.startsWith('key:'),
    );
    expect(data.length).toBeGreaterThan(20);
    const pairs = new Map<string, number>();
    for (const e of data) {
      pairs.set(`${e.from} ${e.key}`, e.count);
      const handler = graph.nodes.find((n) => n.id === e.from)!;
      const n = await one(`select count(*) from baton_diffs where level = 'handler'
        and handler = ${sqlString(handler.name)} and plugin_id = ${sqlString(handler.plugin!)}
        and list_contains(list_concat(added, updated, removed), ${sqlString(e.key!)})`);
      expect(e.count, `${e.from} → ${e.key}`).toBe(n);
    }
    const total = await one(
      `select count(*) from (select distinct d.id, unnest(list_concat(added, updated, removed)) from baton_diffs d where level = 'handler')`,
    );
    expect([...pairs.values()].reduce((s, n) => s + n, 0)).toBe(total);
  });

  it('draws writer → reader edges where, in one run, the writer set the key before a reader whose source reads it ran', async () => {
    const toHandlers = graph.edges.filter((e) => e.kind === 'data' && e.to.startsWith('handler:'));
    for (const e of toHandlers) {
      const reader = graph.nodes.find((n) => n.id === e.to)!;
      const def = demo.code.handlers.find((h) => h.handler === reader.name && h.pluginId === reader.plugin);
      expect(
        def?.payload?.reads.map((r) => r.key),
        e.to,
      ).toContain(e.key);
      if (!e.from.startsWith('handler:')) continue;
      const writer = graph.nodes.find((n) => n.id === e.from)!;
      const runs = await one(`select count(distinct d.sequence_run_id) from baton_diffs d
        join handler_runs h on h.file_id = d.file_id and h.sequence_run_id = d.sequence_run_id and h.line > d.line
        where d.level = 'handler' and d.handler = ${sqlString(writer.name)} and d.plugin_id = ${sqlString(writer.plugin!)}
          and list_contains(list_concat(d.added, d.updated), ${sqlString(e.key!)})
          and h.handler = ${sqlString(reader.name)} and h.plugin_id = ${sqlString(reader.plugin!)}`);
      expect(e.count, `${e.from} → ${e.to} via ${e.key}`).toBe(runs);
    }
    // A DataBaton lives for one request: a key read in another sequence than the one that wrote it is no flow.
    expect(
      toHandlers.some(
        (e) => e.key === 'components' && e.from.endsWith('/loadComponents') && e.to.endsWith('/buildSvg'),
      ),
    ).toBe(false);
    // The demo's chain across beats: initConfig writes `config`, notifyReady reads it.
    const chain = toHandlers.find(
      (e) => e.key === 'config' && e.from.endsWith('/initConfig') && e.to.endsWith('/notifyReady'),
    );
    expect(chain?.count).toBeGreaterThan(0);
    expect(chain?.documented).toBe(true);
  });

  it('counts, times and rates each observed runs edge as SQL over handler_runs joined to its sequence run', async () => {
    const rows = await store.query(`select s.sequence_id seq, h.plugin_id plugin, h.handler, h.event, count(*) n,
        quantile_cont(h.duration_ms, 0.95) p95, avg((h.status = 'error')::int) err
      from handler_runs h join sequence_runs s on s.file_id = h.file_id and s.id = h.sequence_run_id
      group by all`);
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) {
      const e = graph.edges.find(
        (e) =>
          e.kind === 'runs' &&
          e.from === `sequence:${r.seq}` &&
          e.to === `handler:${r.plugin}/${r.handler}` &&
          e.event === r.event,
      );
      expect(e, `${r.seq} → ${r.handler}`).toBeDefined();
      expect(e!.count).toBe(Number(r.n));
      expect(e!.p95).toBe(Math.round(Number(r.p95) * 100) / 100);
      expect(e!.errorRate).toBe(Math.round(Number(r.err) * 10_000) / 10_000);
      expect(e!.documented).toBe(true);
    }
  });

  it('counts subscribes edges as the non-cleanup subscription lines of each sequence', async () => {
    const rows = await store.query(
      `select event, sequence_id seq, count(*) n from subscriptions where not cleanup and sequence_id is not null group by all`,
    );
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) {
      const e = graph.edges.find(
        (e) => e.kind === 'subscribes' && e.to === `sequence:${r.seq}` && e.from.endsWith(`:${r.event}`),
      );
      expect(e?.count, `${r.event} → ${r.seq}`).toBe(Number(r.n));
    }
  });

  it('draws every nested play of the ground truth as a chains edge with the number of plays', () => {
    const truth = new Map<string, number>();
    for (const p of demo.truth.sessions.flatMap((s) => s.plays))
      if (p.triggeredBy)
        truth.set(`${p.triggeredBy}→${p.sequenceId}`, (truth.get(`${p.triggeredBy}→${p.sequenceId}`) ?? 0) + 1);
    expect(truth.size).toBeGreaterThan(0);
    for (const [pair, n] of truth) {
      const [from, to] = pair.split('→');
      const e = graph.edges.find(
        (e) => e.kind === 'chains' && e.from === `sequence:${from}` && e.to === `sequence:${to}`,
      );
      expect(e?.count, pair).toBe(n);
      expect(e!.p95).not.toBeNull();
    }
  });

  it('marks the routes the sequence JSON defines as documented, and lists each defined beat handler', () => {
    const defined = demo.code.sequences.flatMap((s) =>
      s.movements.flatMap((m) => m.beats.filter((b) => b.handler).map((b) => ({ s, b }))),
    );
    for (const { s, b } of defined) {
      const e = graph.edges.find(
        (e) => e.kind === 'runs' && e.from === `sequence:${s.id}` && e.to === `handler:${s.pluginId}/${b.handler}`,
      );
      expect(e?.documented, `${s.id} → ${b.handler}`).toBe(true);
    }
    expect(graph.summary.undocumented).toBe(0);
    const handler = graph.nodes.find((n) => n.kind === 'handler' && n.file !== null);
    expect(handler?.line).toBeGreaterThan(0);
  });
});

describe('buildState on the demo logs', () => {
  it('counts each writer of each key as SQL over baton_diffs, and finds the same conflicts', async () => {
    const state = buildState(data, demo.code);
    expect(state.keys.length).toBeGreaterThan(20);
    expect(state.readersIndexed).toBe(true);
    const rows =
      await store.query(`select k, d.plugin_id plugin, d.handler, coalesce(s.sequence_name, d.sequence_name) seq,
        count(distinct d.id) n, min(d.time_ms) first_ms, max(d.time_ms) last_ms
      from (select *, unnest(list_distinct(list_concat(added, updated, removed))) k from baton_diffs where level = 'handler') d
      left join sequence_runs s on s.file_id = d.file_id and s.id = d.sequence_run_id group by all`);
    expect(rows.length).toBe(state.keys.reduce((n, k) => n + k.writers.length, 0));
    for (const r of rows) {
      const w = state.keys
        .find((k) => k.key === r.k)
        ?.writers.find((w) => w.handler === r.handler && w.plugin === r.plugin && w.sequence === r.seq);
      expect(w, `${r.k} ${r.handler}`).toBeDefined();
      expect(w!.count).toBe(Number(r.n));
      expect(w!.firstMs).toBe(Number(r.first_ms));
      expect(w!.lastMs).toBe(Number(r.last_ms));
    }
    const conflicts = await store.query(`select k, count(*) n from (
        select k, request_id from (select *, unnest(list_concat(added, updated, removed)) k from baton_diffs where level = 'handler' and request_id is not null)
        group by k, request_id having count(distinct coalesce(plugin_id, '?') || '/' || handler) > 1) group by k`);
    expect(state.summary.keysWithConflicts).toBe(conflicts.length);
    for (const r of conflicts)
      expect(state.keys.find((k) => k.key === r.k)?.conflictCount, String(r.k)).toBe(Number(r.n));
  });

  it('narrows to one key', () => {
    const key = buildState(data, demo.code).keys[0]!.key;
    const one = buildState(data, demo.code, { key });
    expect(one.keys.map((k) => k.key)).toEqual([key]);
    expect(buildState(data, demo.code, { key: 'no such key' }).keys).toEqual([]);
  });

  it('describes the value shapes each writer gave a key, from the previews', () => {
    const state = buildState(data, demo.code);
    const config = state.keys.find((k) => k.key === 'config')!.writers.find((w) => w.handler === 'initConfig')!;
    expect(config.shapes).toEqual([{ shape: '{debounceMs,sections,showAdvanced}', count: config.count }]);
    for (const k of state.keys)
      for (const w of k.writers) expect(w.shapes.reduce((n, s) => n + s.count, 0)).toBeLessThanOrEqual(w.count);
  });

  it('lists one request’s DataBaton lines in log order, as SQL over baton_diffs', async () => {
    const [top] = await store.query(
      `select request_id, count(*) n from baton_diffs where request_id is not null group by 1 order by 2 desc, 1 limit 1`,
    );
    const state = buildState(data, demo.code, { requestId: String(top!.request_id), files: demo.files });
    const rows = await store.query(
      `select line, handler, event from baton_diffs where request_id = '${top!.request_id}' order by line`,
    );
    expect(state.request?.steps.map((s) => [s.logLine, s.event])).toEqual(rows.map((r) => [Number(r.line), r.event]));
    expect(state.request!.steps.length).toBe(Number(top!.n));
    expect(state.request!.steps[0]!.logFile).toMatch(/\.log$/);
  });

  it('lists the readers the code index finds and the keys written but never read', async () => {
    const state = buildState(data, demo.code);
    const readers = state.keys.find((k) => k.key === 'config')!.readers;
    expect(readers.map((r) => r.handler)).toContain('notifyReady');
    expect(readers.every((r) => r.file.endsWith('.ts') && r.line > 0)).toBe(true);
    const readKeys = new Set(demo.code.handlers.flatMap((h) => h.payload?.reads.map((r) => r.key) ?? []));
    const writtenKeys = await store.query(
      `select distinct unnest(list_concat(added, updated, removed)) k from baton_diffs where level = 'handler'`,
    );
    const unread = writtenKeys.filter((r) => !readKeys.has(String(r.k)));
    expect(state.summary.writtenNotRead).toBe(unread.length);
    expect(state.summary.readNotWritten).toBe([...readKeys].filter((k) => !writtenKeys.some((r) => r.k === k)).length);
    // Without a code index nothing is known about readers, so nothing is called unread.
    const blind = buildState(data, undefined);
    expect(blind.readersIndexed).toBe(false);
    expect(blind.summary.writtenNotRead).toBe(0);
  });
});
