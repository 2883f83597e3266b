/**
 * `analyzeStore` on the demo app's logs (real conductor, seed 7, three sessions) in every store (in memory, DuckDB,
 * PostgreSQL on a real server): the same reports from each, and on a store larger than the timeline's cap, a timeline of its first beat runs (said in every
 * format) while the other reports still cover the whole store.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsReport } from '../../src/analyses/docs/docs-types.js';
import { partOfWindow } from '../../src/analyses/findings/findings-parts.js';
import type { FindingsReport } from '../../src/analyses/findings/findings-types.js';
import { validateFlows, validateStoreFlows } from '../../src/analyses/flow-validation.js';
import type { GraphReport } from '../../src/analyses/graph/graph-types.js';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { generateChromeLog } from '../../src/bench/generate-log.js';
import { ingest } from '../../src/ingest/ingest.js';
import { allReports, reportNames } from '../../src/reports/registry.js';
import type { ReportRun } from '../../src/reports/report-definition.js';
import {
  analyzeStore,
  loadReportInput,
  type ReportSet,
  runOf,
  runReports,
  storeFindings,
} from '../../src/reports/run-reports.js';
import type { TimelineReport } from '../../src/reports/timeline/definition.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { TelemetryStore } from '../../src/store/telemetry-store.js';
import { type DemoTrace, demoTrace } from '../demo/demo-trace.js';
import { type PostgresServer, startPostgres } from '../store/postgres-server.js';

let demo: DemoTrace;
let work: string;
let server: PostgresServer;
const stores: Record<string, TelemetryStore> = {};
beforeAll(async () => {
  demo = await demoTrace({ sessions: 3, seed: 7 });
  work = await mkdtemp(join(tmpdir(), 'beatscope-run-reports-'));
  stores['in-memory'] = new InMemoryStore();
  stores['duckdb'] = await DuckDbStore.open(join(work, 'demo.duckdb'));
  server = await startPostgres();
  stores['postgres'] = await PostgresStore.open(await server.createDatabase('demo'));
  for (const store of Object.values(stores)) {
    await ingest([demo.dir], { store, workers: 0 });
    await store.saveCodeIndex({ index: demo.code, state: null, indexedAtMs: 0 });
  }
}, 120_000);
afterAll(async () => {
  for (const store of Object.values(stores)) await store.close();
  await server?.stop();
  await demo?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

const fixed = { colors: false, generatedAt: '2026-11-21T12:00:00.000Z' };
const json = (set: ReportSet, name: string) => runOf(set, name)!.render('json', fixed);
const timelineOf = (set: ReportSet) => runOf(set, 'timeline')!.data as TimelineReport;

describe('analyzeStore', () => {
  for (const name of ['in-memory', 'duckdb', 'postgres']) {
    it(`aggregates handler runs in the ${name} store exactly as the reports do from trace data`, async () => {
      const store = stores[name]!;
      const viaStore = await analyzeStore(store);
      expect(viaStore.input.aggregates).toBeDefined();
      expect(viaStore.input.data.handlerRuns.length).toBeGreaterThan(0); // no window: the timeline reads them
      const fromData = runReports({ data: await loadTraceData(store), code: demo.code, files: await store.files() });
      for (const run of fromData) {
        expect(runOf(viaStore, run.entry.name)!.data, run.entry.name).toStrictEqual(run.data);
        expect(json(viaStore, run.entry.name)).toBe(run.render('json', fixed));
      }
      // Without a code index the store's runs are read once, checked as they come.
      const data = await loadTraceData(store);
      const noCode = validateFlows(data);
      expect(noCode.summary.violations).toBeGreaterThan(0);
      expect(await validateStoreFlows(store, data)).toStrictEqual(noCode);
    });
  }

  it('gives the same reports from the DuckDB and PostgreSQL stores as from the in-memory store', async () => {
    const memory = await analyzeStore(stores['in-memory']!);
    const duckdb = await analyzeStore(stores['duckdb']!);
    const postgres = await analyzeStore(stores['postgres']!);
    expect(memory.runs.map((r: ReportRun) => r.entry.name)).toEqual(reportNames);
    for (const run of memory.runs) {
      expect(json(duckdb, run.entry.name), run.entry.name).toBe(json(memory, run.entry.name));
      expect(json(postgres, run.entry.name), run.entry.name).toBe(json(memory, run.entry.name));
      expect(runOf(postgres, run.entry.name)!.summaryMd(), run.entry.name).toBe(run.summaryMd());
    }
    expect(timelineOf(memory).timeline.window).toBeUndefined();
  });

  for (const name of ['in-memory', 'duckdb', 'postgres']) {
    it(`lays out the first beat runs of a larger store (${name}), and the other reports still cover it all`, async () => {
      const store = stores[name]!;
      const whole = await analyzeStore(store);
      const beats = demo.summary.beatRuns;
      const cap = Math.floor(beats / 3);
      const part = await analyzeStore(store, { timelineBeats: cap });
      for (const report of ['heatmap', 'flows', 'coverage', 'trends'])
        expect(json(part, report), report).toBe(json(whole, report));

      const { trace, timeline } = timelineOf(part);
      expect(timeline.window).toEqual({ beatRuns: cap, storeBeatRuns: beats });
      expect(trace.beats).toEqual(timelineOf(whole).trace.beats.slice(0, cap));
      expect(trace.batons.length).toBeGreaterThan(0);
      expect(trace.batons.length).toBeLessThan(timelineOf(whole).trace.batons.length);
      expect(timeline.beats.startDelta.length).toBeLessThanOrEqual(cap);
      const note = `the store holds ${beats.toLocaleString('en-US')} beat runs: this timeline covers the first ${cap.toLocaleString('en-US')}`;
      const run = runOf(part, 'timeline')!;
      expect(run.render('text', fixed)).toContain(note);
      expect(run.render('md', fixed)).toContain(note);
      expect(run.card()).toContain(note);
      expect(JSON.parse(run.render('json', fixed)).window).toEqual({ beatRuns: cap, storeBeatRuns: beats });

      // Findings read the store part by part (findings-parts.ts) and say so: the same findings, hints and matrix
      // as the store read whole, counted over all of it.
      const findings = runOf(part, 'findings')!.data as FindingsReport;
      const wholeFindings = runOf(whole, 'findings')!.data as FindingsReport;
      expect(findings.notes[0]).toMatch(
        new RegExp(
          `^The store holds ${beats.toLocaleString('en-US')} beat runs, more than one pass holds: these findings read it in [3-5] parts of at most [\\d,]+ beat runs`,
        ),
      );
      expect(wholeFindings.notes.join(' ')).not.toContain('parts of at most');
      const withoutNotes = ({ notes, ...rest }: FindingsReport) => rest;
      expect(withoutNotes(findings)).toEqual(withoutNotes(wholeFindings));
      expect(findings.findings.filter((f) => f.kind === 'handler-error').length).toBeGreaterThan(0);
      expect(findings.errorMatrix.rows.length).toBeGreaterThan(0);
      expect(findings.summary.handlerRuns).toBe(whole.input.data.handlerRuns.length);
      expect(findings.summary.handlerRuns).toBeGreaterThan(part.input.timelineWindow!.data.handlerRuns.length);
      // What `serve --alerts` watches (no code index): read in parts past the cap, the same as read whole.
      const watched = await storeFindings(store, cap);
      expect(watched.notes[0]).toContain('parts of at most');
      expect(watched.codeIndex).toBe(false);
      expect(withoutNotes(watched)).toEqual(withoutNotes(await storeFindings(store)));

      // Graph, state and sequences need every run and DataBaton line of what they cover: the window, said so.
      const windowNote = `the store holds ${beats.toLocaleString('en-US')} beat runs: this covers its first ${cap.toLocaleString('en-US')} (the timeline's window)`;
      for (const name of ['state', 'sequences']) {
        const windowed = runOf(part, name)!.data as { notes: string[] };
        expect(windowed.notes, name).toContain(windowNote);
        expect((runOf(whole, name)!.data as { notes: string[] }).notes, name).not.toContain(windowNote);
      }
      // The graph covers the whole store: runs edges from the streamed handler runs, publishes, chains and data
      // edges computed in the store (SQL on DuckDB) — equal to the graph of the store loaded whole.
      const graphOf = (set: typeof part) => runOf(set, 'graph')!.data as GraphReport;
      expect(graphOf(part)).toEqual(graphOf(whole));
      expect(json(part, 'graph')).toBe(json(whole, 'graph'));
      const counted = (kind: string) => graphOf(part).edges.filter((e) => e.kind === kind && e.count > 0).length;
      for (const kind of ['runs', 'chains', 'data']) expect(counted(kind), kind).toBeGreaterThan(0);
      expect(
        graphOf(part)
          .edges.filter((e) => e.kind === 'runs')
          .reduce((n, e) => n + e.count, 0),
      ).toBe(whole.input.data.handlerRuns.length);
      expect(graphOf(part).notes.join(' ')).not.toContain("the timeline's window");
      const ran = (set: typeof part) =>
        (runOf(set, 'sequences')!.data as DocsReport).sequences.reduce((n, s) => n + s.runs, 0);
      expect(ran(part)).toBe(part.input.timelineWindow!.data.runs.length);
      expect(ran(part)).toBeGreaterThan(0);
      expect(ran(part)).toBeLessThan(ran(whole));

      // `report <name>` reads only what that report reads of the store (its `reads`), with the same result.
      for (const report of allReports) {
        const input = await loadReportInput(store, { timelineBeats: cap, reports: [report.name] });
        expect(report.run(input).render('json', fixed), report.name).toBe(json(part, report.name));
        const read = new Set(report.reads);
        expect(input.findingParts !== undefined, report.name).toBe(read.has('findings'));
        expect(input.graphFacts !== undefined, report.name).toBe(read.has('graph'));
        expect(input.timelineWindow !== undefined, report.name).toBe(read.has('timeline') || read.has('findings'));
      }
    });
  }
});

describe('the timeline of one log file (`report timeline --log`)', () => {
  it('lays out that file: all of it, or its first beat runs past the cap, and the windowed reports say so', async () => {
    const store = stores['in-memory']!;
    const whole = await analyzeStore(store);
    const file = (await store.files())[1]!;
    const ofFile = await loadTraceData(store, { fileIds: [file.fileId] });
    expect(ofFile.beats.length).toBeGreaterThan(0);
    expect(ofFile.beats.length).toBeLessThan(demo.summary.beatRuns);

    const all = await analyzeStore(store, { timelineFile: file.fileId });
    const window = { beatRuns: ofFile.beats.length, storeBeatRuns: demo.summary.beatRuns, logFile: file.path };
    expect(timelineOf(all).timeline.window).toEqual({ ...window, wholeFile: true });
    expect(timelineOf(all).trace.beats).toEqual(ofFile.beats);
    for (const report of ['heatmap', 'flows', 'coverage', 'findings'])
      expect(json(all, report)).toBe(json(whole, report));
    expect((runOf(all, 'sequences')!.data as { notes: string[] }).notes).toContain(
      `the store holds ${demo.summary.beatRuns} beat runs: this covers log file ${file.path}, all ${ofFile.beats.length} of its beat runs (the timeline's window)`,
    );

    const cap = Math.floor(ofFile.beats.length / 2);
    const first = await analyzeStore(store, { timelineFile: file.fileId, timelineBeats: cap });
    expect(timelineOf(first).timeline.window).toEqual({ ...window, beatRuns: cap, wholeFile: false });
    expect(timelineOf(first).trace.beats).toEqual(ofFile.beats.slice(0, cap));
    expect(runOf(first, 'timeline')!.render('text', fixed)).toContain(
      `this timeline covers log file ${file.path}: its first ${cap} beat runs in log order (it holds more), of the store's ${demo.summary.beatRuns}`,
    );
  });
});

describe('the timeline around a line of one log file (`report timeline --at`)', () => {
  for (const name of ['in-memory', 'duckdb', 'postgres']) {
    it(`lays out the cap's beat runs of that file, half of them before the line, on the ${name} store`, async () => {
      const store = stores[name]!;
      const file = (await store.files())[1]!;
      const beats = (await loadTraceData(store, { fileIds: [file.fileId] })).beats;
      const cap = 10;
      expect(beats.length).toBeGreaterThan(2 * cap);
      const window = { storeBeatRuns: demo.summary.beatRuns, logFile: file.path, wholeFile: false, beatRuns: cap };
      const around = async (line: number) => {
        const set = await analyzeStore(store, { timelineFile: file.fileId, timelineLine: line, timelineBeats: cap });
        return { window: timelineOf(set).timeline.window, beats: timelineOf(set).trace.beats, set };
      };
      // A beat in the middle: the 5 beat runs before its line, it and the 4 after.
      const at = Math.floor(beats.length / 2);
      const line = beats[at]!.span.startLine;
      const middle = await around(line);
      expect(middle.window).toEqual({ ...window, aroundLine: line });
      expect(middle.beats).toEqual(beats.slice(at - cap / 2, at + cap / 2));
      // Its sessions began before the window: they are laid out all the same (a lane per session).
      const sessions = [...new Set(middle.beats.map((b) => b.sessionId))];
      expect(timelineOf(middle.set).trace.sessions.map((s) => s.id)).toEqual(sessions);
      const laidOut = timelineOf(middle.set).timeline;
      expect(laidOut.sessions.id.map((i) => laidOut.strings[i])).toEqual(sessions);
      expect(runOf(middle.set, 'timeline')!.render('text', fixed)).toContain(
        `this timeline covers log file ${file.path}: ${cap} of its beat runs in log order around line ${line.toLocaleString('en-US')} (it holds more)`,
      );
      // Near the start there is less before: the window starts at the file's first beat run; past the last, it ends
      // with the file's last ones.
      expect((await around(beats[2]!.span.startLine)).beats).toEqual(beats.slice(0, cap));
      expect((await around(file.lines)).beats).toEqual(beats.slice(-cap / 2));
    });
  }
});

describe('analyzeStore on the captured corpus logs (every envelope style, with and without timestamps)', () => {
  const corpus = resolve(import.meta.dirname, '../fixtures/corpus/logs');
  const makers: Record<string, () => Promise<TelemetryStore>> = {
    'in-memory': async () => new InMemoryStore(),
    duckdb: () => DuckDbStore.open(join(work, 'corpus.duckdb')),
    postgres: async () => PostgresStore.open(await server.createDatabase('corpus')),
  };
  for (const [name, make] of Object.entries(makers)) {
    it(`gives the same reports from the ${name} store's aggregates as from its trace data`, async () => {
      const store = await make();
      try {
        const { outcomes } = await ingest([corpus], { store, workers: 0 });
        expect(outcomes.filter((o) => o.status === 'ingested').length).toBeGreaterThanOrEqual(8);
        await store.saveCodeIndex({ index: demo.code, state: null, indexedAtMs: 0 });
        const viaStore = await analyzeStore(store);
        const fromData = runReports({ data: await loadTraceData(store), code: demo.code, files: await store.files() });
        expect(viaStore.summary.beatRuns).toBeGreaterThan(0);
        expect(viaStore.input.aggregates!.heatmap.summary.totalExecutions).toBeGreaterThan(0);
        expect(viaStore.input.aggregates!.heatmap.matrix.buckets.length).toBe(24);
        for (const run of fromData) {
          expect(runOf(viaStore, run.entry.name)!.data, run.entry.name).toStrictEqual(run.data);
        }
      } finally {
        await store.close();
      }
    });
  }
});

describe('findings of a store read in parts, past parts with nothing to judge', () => {
  // The demo's sessions (handler errors, flow violations) and a steady generated session without either.
  let steadyDir: string;
  beforeAll(async () => {
    steadyDir = await mkdtemp(join(work, 'quiet-'));
    await generateChromeLog(join(steadyDir, 'steady.log'), 600_000);
  });
  const withoutNotes = ({ notes, ...rest }: FindingsReport) => rest;
  const makers: Record<string, () => Promise<TelemetryStore>> = {
    'in-memory': async () => new InMemoryStore(),
    duckdb: () => DuckDbStore.open(join(work, 'quiet.duckdb')),
    postgres: async () => PostgresStore.open(await server.createDatabase('quiet')),
  };
  for (const [name, make] of Object.entries(makers)) {
    it(`skip parts with nothing to judge and find what the ${name} store read whole finds`, async () => {
      const store = await make();
      try {
        await ingest([demo.dir, steadyDir], { store, workers: 0 });
        const cap = Math.floor(demo.summary.beatRuns / 3);
        const parted = await storeFindings(store, cap);
        const quiet =
          /; (\d+) of them hold nothing to judge \(no error, failed run, located flow violation or stretch of slow executions\) and were not read again\.$/;
        expect(parted.notes[0]).toMatch(quiet);
        expect(Number(quiet.exec(parted.notes[0]!)![1])).toBeGreaterThanOrEqual(2);
        const whole = await storeFindings(store);
        expect(withoutNotes(parted)).toEqual(withoutNotes(whole));
        expect(whole.findings.filter((f) => f.kind === 'handler-error').length).toBeGreaterThan(0);
        expect(whole.summary.sequenceRuns).toBeGreaterThan(demo.data.runs.length);

        // With the demo's code index, as analyze reads it.
        await store.saveCodeIndex({ index: demo.code, state: null, indexedAtMs: 0 });
        const findingsOf = async (timelineBeats?: number) =>
          withoutNotes(runOf(await analyzeStore(store, { timelineBeats }), 'findings')!.data as FindingsReport);
        expect(await findingsOf(cap)).toEqual(await findingsOf());
      } finally {
        await store.close();
      }
    });
  }

  for (const name of ['in-memory', 'duckdb', 'postgres']) {
    it(`take a part within the timeline's window from it, as the ${name} store reads it`, async () => {
      const store = stores[name]!;
      const sessions = (await loadTraceData(store, {}, ['sessions'])).sessions;
      const fileOfSession = new Map(sessions.map((s) => [s.id, s.fileId]));
      const kinds = ['runs', 'beats', 'handlerRuns', 'errors', 'batons'] as const;
      const total = demo.summary.beatRuns;
      const ends = [Math.floor(total / 3), Math.floor((2 * total) / 3)];
      let cut = 0;
      for (const k of ends) {
        const windowEnd = (await store.placeOf('beat-run', k))!;
        const window = { query: { before: windowEnd }, data: await loadTraceData(store, { before: windowEnd }) };
        // Part ends as findings cut them (session starts) and anywhere else, within the window.
        const places = [
          ...sessions.map((s) => ({ fileId: s.fileId, line: s.startLine })),
          ...[1, Math.floor(k / 2), k - 1].map(async (n) => (await store.placeOf('beat-run', n))!),
        ];
        for (const place of await Promise.all(places)) {
          const inside =
            place.fileId < windowEnd.fileId || (place.fileId === windowEnd.fileId && place.line <= windowEnd.line);
          const part = partOfWindow({ before: place }, window, fileOfSession);
          if (!inside) {
            expect(part).toBeUndefined();
            continue;
          }
          const read = await loadTraceData(store, { before: place });
          for (const kind of kinds)
            expect(part![kind], `${kind} before ${place.fileId}:${place.line}`).toEqual(read[kind]);
          if (part!.beats.length < window.data.beats.length) cut++;
        }
        expect(partOfWindow({ from: windowEnd }, window, fileOfSession)).toBeUndefined();
        expect(partOfWindow({}, window, fileOfSession)).toBeUndefined();
      }
      expect(cut).toBeGreaterThan(3);
    });
  }

  it('say so when no part has anything to judge, with counts over the whole store', async () => {
    const steady = new InMemoryStore();
    await ingest([steadyDir], { store: steady, workers: 0 });
    const quietOnly = await storeFindings(steady, Math.floor(demo.summary.beatRuns / 3));
    expect(quietOnly.notes[0]).toMatch(
      /: these findings split it into \d+ parts, cut between sessions where they can be; none holds anything to judge \(.*\), so none was read again\.$/,
    );
    expect(withoutNotes(quietOnly)).toEqual(withoutNotes(await storeFindings(steady)));
    expect(quietOnly.summary.sequenceRuns).toBe((await steady.summary()).sequenceRuns);
    await steady.close();
  });
});
