/**
 * The graph over the real RenderX corpus consoles with the real RenderX sequence JSON and manifests indexed
 * (test/fixtures/renderx): the handlers those consoles ran are the ones the sequence JSON defines (documented),
 * every topic route of the manifests is a documented `subscribes` edge, and the data edges reconcile with SQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/analyses/graph/build-graph.js';
import type { GraphReport } from '../../src/analyses/graph/graph-types.js';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { indexCodebase } from '../../src/codebase/index.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { CodeIndex } from '../../src/model/code-index.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

let work: string;
let store: DuckDbStore;
let code: CodeIndex;
let graph: GraphReport;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'beatscope-graph-renderx-'));
  store = await DuckDbStore.open(join(work, 'renderx.duckdb'));
  await ingest(['test/fixtures/corpus/logs'], { store, workers: 0 });
  code = (await indexCodebase('test/fixtures/renderx')).index;
  graph = buildGraph(await loadTraceData(store), code);
}, 120_000);
afterAll(async () => {
  await store?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('graph over the RenderX corpus', () => {
  it('documents every handler the consoles ran, owned by its plugin', async () => {
    const runs = graph.edges.filter((e) => e.kind === 'runs' && e.count > 0);
    const observed = await store.query('select count(*) n from handler_runs');
    expect(runs.reduce((n, e) => n + e.count, 0)).toBe(Number(observed[0]!.n));
    expect(runs.length).toBeGreaterThanOrEqual(5);
    for (const e of runs) {
      expect(e.documented, `${e.from} → ${e.to}`).toBe(true);
      expect(e.to, 'plugin resolved').not.toMatch(/^handler:\?\//);
    }
    expect(graph.summary.undocumented).toBe(0);
  });

  it('draws each topic route of the manifests as a documented subscribes edge', () => {
    expect(code.topics.length).toBeGreaterThan(0);
    for (const t of code.topics) {
      const e = graph.edges.find(
        (e) => e.kind === 'subscribes' && e.from.endsWith(`:${t.topic}`) && e.to === `sequence:${t.sequenceId}`,
      );
      expect(e?.documented, `${t.topic} → ${t.sequenceId}`).toBe(true);
    }
  });

  it('counts data edges as SQL over baton_diffs', async () => {
    const data = graph.edges.filter((e) => e.kind === 'data');
    expect(data.length).toBeGreaterThan(3);
    const rows = await store.query(
      `select k, handler, count(*) n from (select handler, unnest(list_distinct(list_concat(added, updated, removed))) k
        from baton_diffs where level = 'handler' and handler is not null) group by all`,
    );
    expect(rows.length).toBe(data.length);
    for (const r of rows) {
      const e = data.find((e) => e.key === r.k && e.from.endsWith(`/${r.handler}`));
      expect(e?.count, `${r.handler} ${r.k}`).toBe(Number(r.n));
    }
  });
});
