/**
 * Runs every registered report on what a store holds, in one pass: the input of `beatscope analyze`, of
 * `report --format html` and of the demo. A report that needs a code index is left out without one.
 */
import { findingsByPart } from '../analyses/findings/findings-parts.js';
import { HistoryTimes } from '../analyses/findings/handler-histories.js';
import { storeGraphFacts } from '../analyses/graph/graph-facts-sql.js';
import { payloadReaders } from '../analyses/payload-readers.js';
import { aggregateStore } from '../analyses/store-aggregates.js';
import { AGGREGATE_FIELDS, loadTraceData } from '../analyses/trace-data.js';
import type { StoreSummary } from '../model/index.js';
import { allReports } from './registry.js';
import type { AnalysisOptions, ReportInput, ReportRun } from './report-definition.js';

/** The store, typed through the analyses (reports do not import the store layer). */
type TelemetryStore = Parameters<typeof loadTraceData>[0];

export interface ReportSet {
  readonly summary: StoreSummary;
  readonly input: ReportInput;
  /** One run per computed report, in registry order. */
  readonly runs: readonly ReportRun[];
  /** Wall time, ms: `load` (reading the store), then one entry per computed report (for `npm run bench`). */
  readonly timingsMs: Readonly<Record<string, number>>;
}

/** Runs the reports that can run on `input` (those needing a code index only when it has one). */
export function runReports(input: ReportInput, timingsMs: Record<string, number> = {}): ReportRun[] {
  const runs: ReportRun[] = [];
  for (const report of allReports) {
    if (report.requiresCode && !input.code) continue;
    const t = performance.now();
    runs.push(report.run(input));
    timingsMs[report.name] = performance.now() - t;
  }
  return runs;
}

/**
 * Most beat runs the timeline lays out by default. Its part of the store is read as entities (with DataBaton
 * diffs) and drawn per event: 100,000 beat runs of a generated log cost about 500 MB of the analysis's peak RSS,
 * this half of it, whatever the store's size. A larger store's timeline covers its first beat runs, with a note.
 */
export const TIMELINE_BEATS = 50_000;

/**
 * What every report reads from a store: the trace data, the stored code index, the summary, and the heatmap and
 * coverage's aggregates (handler runs streamed out of the store, never all held). On a store with more than
 * `options.timelineBeats` beat runs, the timeline gets the first part of the trace (`timelineWindow`) and the
 * whole-store data holds only the small kinds (sessions, mounts, registrations, subscriptions, handler errors).
 */
export async function loadReportInput(
  store: TelemetryStore,
  options: AnalysisOptions = {},
): Promise<ReportInput & { readonly summary: StoreSummary }> {
  const [summary, snapshot, files] = await Promise.all([store.summary(), store.loadCodeIndex(), store.files()]);
  const code = snapshot?.index;
  const cap = options.timelineBeats ?? TIMELINE_BEATS;
  const before = summary.beatRuns > cap ? await store.placeOf('beat-run', cap) : undefined;
  const data = await loadTraceData(store, {}, before === undefined ? undefined : AGGREGATE_FIELDS);
  // Read part by part, findings judge each part's handler times against the whole store's, collected here.
  const times = before === undefined ? undefined : new HistoryTimes();
  const aggregates = await aggregateStore(store, data, summary, code, options.heatmap, times);
  if (before === undefined || times === undefined) return { data, code, summary, files, options, aggregates };
  // One part of the store held at a time: the findings' parts (each about `cap` beat runs), then the timeline's.
  options.progress?.(
    `the store holds ${summary.beatRuns.toLocaleString('en-US')} beat runs: findings read it in parts of about ${cap.toLocaleString('en-US')} …`,
  );
  const findingParts = await findingsByPart(
    store,
    { data, code, files, flows: aggregates.flows, times, executions: aggregates.handlerRunCounts },
    cap,
  );
  const part = await loadTraceData(store, { before });
  const window = { beatRuns: part.beats.length, storeBeatRuns: summary.beatRuns };
  const graphFacts = await storeGraphFacts(store, code, payloadReaders(code), data.registrations);
  return {
    ...{ data, code, summary, files, options, aggregates, graphFacts, findingParts },
    timelineWindow: { data: part, window },
  };
}

/** Every report on a store's content. */
export async function analyzeStore(store: TelemetryStore, options: AnalysisOptions = {}): Promise<ReportSet> {
  const t0 = performance.now();
  const input = await loadReportInput(store, options);
  const timingsMs: Record<string, number> = { load: performance.now() - t0 };
  const runs = runReports(input, timingsMs);
  return { summary: input.summary, input, runs, timingsMs };
}

/** The run of report `name`, when it was computed. */
export function runOf(set: { readonly runs: readonly ReportRun[] }, name: string): ReportRun | undefined {
  return set.runs.find((r) => r.entry.name === name);
}
