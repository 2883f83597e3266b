/** `analyzeStore` is what `beatscope analyze` and the demo run: every report must see the stored code index. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEntity } from '../../src/model/index.js';
import { reportNames } from '../../src/reports/registry.js';
import { analyzeStore, type ReportSet, runOf } from '../../src/reports/run-reports.js';
import { timelineOf } from '../../src/reports/timeline-of.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';
import { type DemoTrace, demoTrace } from '../demo/demo-trace.js';

describe('analyzeStore on demo logs with the demo app indexed', () => {
  let demo: DemoTrace;
  let analysis: ReportSet;
  beforeAll(async () => {
    demo = await demoTrace({ sessions: 1, seed: 11 });
    const store = new InMemoryStore();
    const writer = await store.beginFile('demo');
    const d = demo.data;
    const all: TraceEntity[] = [
      ...d.sessions,
      ...d.runs,
      ...d.movements,
      ...d.beats,
      ...d.handlerRuns,
      ...d.batons,
      ...d.errors,
    ];
    await writer.append(all.map((e) => relabel(e)));
    await writer.commit({
      fileId: 'demo',
      path: '/demo.log',
      sizeBytes: 0,
      mtimeMs: 0,
      format: 'chrome-console',
      encoding: 'utf-8',
      gzip: false,
      lines: 1,
      linesRecognized: 1,
      linesUnknown: 0,
      diagnostics: [],
    });
    await store.saveCodeIndex({ index: demo.code, state: null, indexedAtMs: 0 });
    analysis = await analyzeStore(store);
  });
  afterAll(() => demo.cleanup());

  it('gives the timeline the handlers source locations', () => {
    const t = timelineOf(analysis.input);
    const located = t.handlers.location.filter((i) => i >= 0).map((i) => t.strings[i]);
    expect(located.length).toBeGreaterThan(0);
    expect(located).toContain('plugins/canvas-component/src/symphonies/arrange/arrange.layout.ts:24');
  });

  it('gives the heatmap and coverage the code index', () => {
    const json = (name: string) => JSON.parse(runOf(analysis, name)?.render('json') ?? '{}');
    expect(json('heatmap').handlers[0]).toMatchObject({ name: 'relaxLayout', sourceLine: 24 });
    expect(json('coverage').handlers.length).toBe(demo.code.handlers.length);
    expect(analysis.runs.map((r) => r.entry.name)).toEqual(reportNames);
  });
});

/** The in-memory store keeps one fileId per writer: entities of several demo files are filed under one. */
function relabel(e: TraceEntity): TraceEntity {
  if (e.kind === 'session') return { ...e, fileId: 'demo' };
  if ('span' in e) return { ...e, span: { ...e.span, fileId: 'demo' } };
  return e;
}
