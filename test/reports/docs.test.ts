/**
 * `beatscope docs` on logs of the real conductor (the demo simulator, 3 sessions, seed 23) ingested into DuckDB
 * with the demo app indexed: every per-beat number reconciles with SQL over the store, every defined sequence gets
 * a page, keys written and read come from the diff lines and the handler source, re-rendering gives the same
 * bytes, and names from logs cannot break out of Markdown or Mermaid.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsReport } from '../../src/analyses/docs/docs-types.js';
import { buildSequenceDocs } from '../../src/analyses/docs/sequence-docs.js';
import { validateFlowsOnce } from '../../src/analyses/flow-validation.js';
import { loadTraceData, type TraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import { DOCS_MARKER, renderDocsPages, renderSequencePage } from '../../src/reports/sequences/docs-md.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { type DemoTrace, demoTrace } from '../demo/demo-trace.js';

let demo: DemoTrace;
let work: string;
let store: DuckDbStore;
let data: TraceData;
let docs: DocsReport;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 3, seed: 23 });
  work = await mkdtemp(join(tmpdir(), 'beatscope-docs-'));
  store = await DuckDbStore.open(join(work, 'demo.duckdb'));
  await ingest([demo.dir], { store, workers: 0 });
  data = await loadTraceData(store);
  docs = buildSequenceDocs(data, demo.code, validateFlowsOnce(data, demo.code).drift);
}, 180_000);
afterAll(async () => {
  await store?.close();
  await demo?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

describe('sequence docs on the demo logs', () => {
  it('documents every defined sequence, and marks the ones that never ran', async () => {
    const ids = docs.sequences.map((s) => s.id);
    for (const s of demo.code.sequences) expect(ids, s.id).toContain(s.id);
    const ran = await store.query('select sequence_id id, count(*) n from sequence_runs group by 1');
    for (const s of docs.sequences) {
      const row = ran.find((r) => r.id === s.id);
      expect(s.runs, String(s.id)).toBe(row ? Number(row.n) : 0);
    }
  });

  it('gives each beat the handler runs, p50/p95 and error rate SQL gives for its sequence, event and handler', async () => {
    const beats = docs.sequences.flatMap((s) => s.beats.map((b) => ({ s, b })));
    expect(beats.length).toBeGreaterThan(40);
    for (const { s, b } of beats) {
      const [row] = await store.query(`select count(*) n, quantile_cont(h.duration_ms, 0.5) p50,
          quantile_cont(h.duration_ms, 0.95) p95, avg((h.status = 'error')::int) err
        from handler_runs h join sequence_runs r on r.file_id = h.file_id and r.id = h.sequence_run_id
        where r.sequence_id = ${q(s.id!)} and h.event = ${q(b.event)} and h.handler = ${q(b.handler!)}`);
      const at = `${s.id} ${b.event}`;
      expect(b.handlerRuns, at).toBe(Number(row!.n));
      expect(b.time.p50, at).toBeCloseTo(Number(row!.p50), 2);
      expect(b.time.p95, at).toBeCloseTo(Number(row!.p95), 2);
      expect(b.errorRate, at).toBeCloseTo(Number(row!.err), 6);
    }
  });

  it('lists the keys each beat handler wrote (diff lines) and reads (its source)', async () => {
    const init = docs.sequences.find((s) => s.id === 'control-panel-ui-init-symphony')!;
    const notify = init.beats.find((b) => b.handler === 'notifyReady')!;
    expect(notify.keysRead).toEqual(['config']);
    const rows = await store.query(`select distinct unnest(list_concat(d.added, d.updated)) k
      from baton_diffs d join sequence_runs r on r.file_id = d.file_id and r.id = d.sequence_run_id
      where d.level = 'handler' and r.sequence_id = 'control-panel-ui-init-symphony' and d.handler = 'notifyReady'
      order by 1`);
    expect(notify.keysWritten).toEqual(rows.map((r) => r.k));
    expect(notify.keysWritten.length).toBeGreaterThan(0);
  });

  it('follows the most frequent beat order of completed runs, and lists defined beats never seen', () => {
    for (const s of docs.sequences.filter((s) => s.completedRuns > 0)) {
      expect(s.pathRuns, String(s.id)).toBeGreaterThan(0);
      expect(s.pathRuns).toBeLessThanOrEqual(s.completedRuns);
      for (const b of s.beats) expect(b.seenInRuns).toBeGreaterThanOrEqual(s.pathRuns);
    }
    const never = docs.sequences.filter((s) => s.runs === 0);
    for (const s of never) {
      const def = demo.code.sequences.find((d) => d.id === s.id)!;
      expect(s.neverSeen.length).toBe(def.movements.reduce((n, m) => n + m.beats.length, 0));
    }
  });

  it('renders the same bytes from a fresh load of the same store', async () => {
    const again = await loadTraceData(store);
    const pages = renderDocsPages(buildSequenceDocs(again, demo.code, validateFlowsOnce(again, demo.code).drift));
    expect(pages).toEqual(renderDocsPages(docs));
    expect(pages[0]!.file).toBe('index.md');
    for (const p of pages) expect(p.markdown.startsWith(`${DOCS_MARKER}\n`)).toBe(true);
    const init = pages.find((p) => p.file === 'control-panel-ui-init-symphony.md')!.markdown;
    expect(init).toContain('```mermaid\nsequenceDiagram\n');
    expect(init).toMatch(/C->>\+p1: 1 control:panel:ui:init:config → initConfig/);
  });

  it('escapes names from logs in Markdown and in the Mermaid diagram', () => {
    const s = docs.sequences.find((x) => x.beats.length > 0)!;
    const evil = '<img src=x onerror=alert(1)>|`x`;#';
    const page = renderSequencePage({
      ...s,
      name: evil,
      beats: s.beats.map((b) => ({ ...b, event: evil, handler: evil, keysWritten: [evil] })),
    });
    // HTML stays inert: literal inside code spans (never parsed), backslash-escaped in prose.
    const prose = page.replace(/```mermaid[\s\S]*?```/, '').replace(/(`+)[^`][\s\S]*?\1/g, '');
    expect(prose).toContain('\\<img');
    expect(prose).not.toMatch(/(?<!\\)<img/);
    const diagram = page.slice(page.indexOf('```mermaid'), page.indexOf('```', page.indexOf('```mermaid') + 3));
    const texts = diagram
      .split('\n')
      .flatMap((l) =>
        (/^ {2}(participant \w+ as |[\w+-]+(?:->>|-->>|--x|-\))[+-]?\w+: |Note over \w+: )(.*)$/.exec(l) ?? []).slice(
          2,
        ),
      );
    expect(texts.length).toBeGreaterThan(s.beats.length);
    for (const t of texts) expect(t.replace(/#[0-9a-z]+;/g, '')).not.toMatch(/[<>;`|#]/);
  });
});
