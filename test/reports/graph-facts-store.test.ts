/**
 * The graph facts computed in the DuckDB store and in the PostgreSQL store (its own SQL, on a real server) equal those found in the same trace loaded into memory: on the demo
 * app's logs (real conductor: chains, writes, writer → reader flows through the demo's handler source) and on the
 * real captured consoles of the corpus (a publish line inside a run, .NET host topics, filtered Chrome consoles).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphFacts, graphFactsOf } from '../../src/analyses/graph/graph-facts.js';
import { answersGraphSql, storeGraphFacts } from '../../src/analyses/graph/graph-facts-sql.js';
import { payloadReaders } from '../../src/analyses/payload-readers.js';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { CodeIndex, TraceEntity } from '../../src/model/index.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { fixtureEntities, fixtureFile } from '../../src/store/store-fixtures.js';
import type { TelemetryStore } from '../../src/store/telemetry-store.js';
import { demoTrace } from '../demo/demo-trace.js';
import { type PostgresServer, startPostgres } from '../store/postgres-server.js';

const CORPUS = resolve('test/fixtures/corpus/logs');
const corpusLogs = [
  'cypress-capture.component-resize.excerpt.log',
  'dotnet-mel-console.app-output.log',
  'chrome-saved-empty-location-iso.excerpt-2.log',
  'chrome-per-source-location.resize-move.log',
].map((f) => join(CORPUS, f));

/** Facts with every group list in one order, so two computations compare whatever order each returns. */
function sorted(f: GraphFacts): GraphFacts {
  const by = <T>(list: readonly T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    ...f,
    beatEvents: [...f.beatEvents].sort(),
    publishes: by(f.publishes),
    chains: by(f.chains.map((c) => ({ ...c, durations: [...c.durations].sort((x, y) => x - y) }))),
    writes: by(f.writes),
    flows: by(f.flows),
  };
}

let work: string;
let cleanup: (() => Promise<void>) | undefined;
let code: CodeIndex;
let server: PostgresServer;
const stores: { duckdb?: DuckDbStore; postgres?: PostgresStore; memory?: InMemoryStore } = {};
beforeAll(async () => {
  const demo = await demoTrace({ sessions: 2, seed: 11 });
  cleanup = demo.cleanup;
  code = demo.code;
  work = await mkdtemp(join(tmpdir(), 'beatscope-graph-facts-'));
  stores.duckdb = await DuckDbStore.open(join(work, 'facts.duckdb'));
  stores.memory = new InMemoryStore();
  server = await startPostgres();
  stores.postgres = await PostgresStore.open(await server.createDatabase('facts'));
  for (const store of [stores.duckdb, stores.postgres, stores.memory])
    await ingest([demo.dir, ...corpusLogs], { store, workers: 0 });
}, 120_000);
afterAll(async () => {
  await stores.duckdb?.close();
  await stores.memory?.close();
  await stores.postgres?.close();
  await server?.stop();
  await cleanup?.();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('graph facts in the store', () => {
  it.each(['duckdb', 'postgres'] as const)('in %s equal the facts of the trace loaded into memory', async (name) => {
    const store = stores[name]!;
    expect(answersGraphSql(store)).toBe(true);
    const data = await loadTraceData(store);
    const readers = payloadReaders(code);
    const inStore = await storeGraphFacts(store, code, readers, data.registrations);
    const inMemory = graphFactsOf(data, code, readers);
    expect(sorted(inStore)).toEqual(sorted(inMemory));
    // Not vacuous: every kind of fact is there, and the corpus's publish lines are counted.
    expect(inStore.publishes.reduce((n, p) => n + p.count, 0) + inStore.unattributedPublishes).toBe(
      data.publishes.length,
    );
    expect(data.publishes.length).toBeGreaterThan(0);
    expect(inStore.chains.length).toBeGreaterThan(0);
    expect(inStore.writes.length).toBeGreaterThan(0);
    expect(inStore.flows.length).toBeGreaterThan(0);
    expect(inStore.sequences.map((s) => s.sequenceName)).toContain('Canvas Component Create');
  });

  it('of a store that is not SQL come from its entities', async () => {
    const store = stores.memory!;
    expect(answersGraphSql(store)).toBe(false);
    const data = await loadTraceData(store);
    const readers = payloadReaders(code);
    expect(await storeGraphFacts(store, code, readers, data.registrations)).toEqual(graphFactsOf(data, code, readers));
  });
});

describe('publishers', () => {
  // The store fixture's run (lines 12–50) has beat 1 (14–17, `library:step1`, one handler `loadComponents`) and
  // beat 2 (20–23, two handlers); its publish on line 11 lies outside every run. Added: publishes inside them, and
  // a beat of a console saved mid-run (no run line in the file) with publishes inside it, one after a shorter beat
  // inside it has ended.
  const fileId = 'f1';
  const publish = (line: number, event: string): TraceEntity => ({
    kind: 'publish',
    sessionId: `${fileId}:s0`,
    event,
    source: 'eventbus',
    timeMs: null,
    line,
  });
  const orphanBeat: TraceEntity = {
    kind: 'beat-run',
    id: `${fileId}:s0:b-orphan`,
    sequenceRunId: null,
    movementRunId: null,
    sessionId: `${fileId}:s0`,
    sequenceName: 'Header Theme',
    beat: 2,
    position: null,
    event: 'header:theme:apply',
    title: null,
    handlers: ['applyTheme'],
    pluginId: 'HeaderPlugin',
    status: 'incomplete',
    startMs: null,
    endMs: null,
    durationMs: null,
    durationSource: 'none',
    error: null,
    batonUnchanged: 0,
    batonSettledMs: null,
    span: { fileId, startLine: 52, endLine: 60 },
  };
  const entities = [
    ...fixtureEntities(fileId),
    publish(15, 'library:step1'),
    publish(16, 'library:loaded'),
    publish(21, 'ui:refresh'),
    publish(40, 'library:done'),
    orphanBeat,
    // A short beat inside the long one (overlapping async work): a publish after it ends is the long beat's.
    {
      ...orphanBeat,
      id: `${fileId}:s0:b-inner`,
      event: 'header:other',
      handlers: ['a', 'b'],
      span: { fileId, startLine: 54, endLine: 55 },
    },
    publish(53, 'theme:changed'),
    publish(57, 'theme:late'),
  ];
  const fill = async (store: TelemetryStore) => {
    const writer = await store.beginFile(fileId);
    await writer.append(entities);
    await writer.commit(fixtureFile(fileId));
    return store;
  };

  it.each(['duckdb', 'postgres'] as const)(
    "are the enclosing run, the beat of a run saved mid-way, or the beat's one handler — in SQL (%s) and in memory",
    async (name) => {
      const duck = await fill(
        name === 'duckdb'
          ? await DuckDbStore.open(join(work, 'publishers.duckdb'))
          : await PostgresStore.open(await server.createDatabase('publishers')),
      );
      const memory = await fill(new InMemoryStore());
      try {
        const readers = payloadReaders(undefined);
        const facts = await storeGraphFacts(duck, undefined, readers, []);
        const data = await loadTraceData(memory);
        expect(sorted(facts)).toEqual(sorted(graphFactsOf(data, undefined, readers)));
        const run = { sequenceId: 'library-load-symphony', sequenceName: 'Library Load', pluginId: 'LibraryPlugin' };
        const header = { sequenceId: null, sequenceName: 'Header Theme', pluginId: 'HeaderPlugin' };
        const group = (
          r: typeof run | typeof header,
          event: string,
          handler: string | null = null,
          plugin = null as string | null,
        ) => ({
          run: r,
          handler,
          handlerPlugin: plugin,
          event,
          count: 1,
        });
        expect(sorted(facts).publishes).toEqual(
          sorted({
            ...facts,
            publishes: [
              group(run, 'library:step1'), // the beat's own event: published by the run
              group(run, 'library:loaded', 'loadComponents', 'LibraryPlugin'), // by the beat's one handler
              group(run, 'ui:refresh'), // two handlers in the beat: the run
              group(run, 'library:done'), // between beats: the run
              group(header, 'theme:changed', 'applyTheme', 'HeaderPlugin'),
              group(header, 'theme:late', 'applyTheme', 'HeaderPlugin'),
            ],
          }).publishes,
        );
        expect(facts.unattributedPublishes).toBe(1); // line 11, before the run
      } finally {
        await duck.close();
        await memory.close();
      }
    },
  );
});
