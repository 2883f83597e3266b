/**
 * Runs every registered report on what a store holds, in one pass: the input of `beatscope analyze`, of
 * `report --format html` and of the demo. A report that needs a code index is left out without one.
 */
import { analyzeFindings } from '../analyses/findings/findings.js';
import { findingsByPart } from '../analyses/findings/findings-parts.js';
import type { FindingsReport } from '../analyses/findings/findings-types.js';
import { HistoryTimes } from '../analyses/findings/handler-histories.js';
import { BeatTimes } from '../analyses/findings/root-cause.js';
import { SessionActivity } from '../analyses/findings/session-activity.js';
import type { GraphFacts } from '../analyses/graph/graph-facts.js';
import { storeGraphFacts } from '../analyses/graph/graph-facts-sql.js';
import { payloadReaders } from '../analyses/payload-readers.js';
import { aggregateStore } from '../analyses/store-aggregates.js';
import { AGGREGATE_FIELDS, loadTraceData, type TraceData } from '../analyses/trace-data.js';
import type { CodeIndex, FileInfo, StoreSummary } from '../model/index.js';
import { findingsReport } from './findings/definition.js';
import { allReports } from './registry.js';
import type { AnalysisOptions, ReportInput, ReportRun, StoreRead } from './report-definition.js';
import { placesAround, withSessionsBegunBefore } from './timeline-around.js';

/** The store, typed through the analyses (reports do not import the store layer). */
type TelemetryStore = Parameters<typeof loadTraceData>[0];
type EntityQuery = NonNullable<Parameters<typeof loadTraceData>[1]>;

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
 * `options.timelineBeats` beat runs, the timeline gets the first part of the trace (`timelineWindow`), the
 * whole-store data holds only the small kinds (sessions, mounts, registrations, subscriptions, handler errors), and
 * findings read the store part by part (`findingParts`). With `options.timelineFile`, the timeline gets that log
 * file's first beat runs, whatever the store's size.
 */
export async function loadReportInput(
  store: TelemetryStore,
  options: AnalysisOptions = {},
): Promise<ReportInput & { readonly summary: StoreSummary }> {
  const [summary, snapshot] = await Promise.all([store.summary(), store.loadCodeIndex()]);
  const code = snapshot?.index;
  const cap = options.timelineBeats ?? TIMELINE_BEATS;
  const fileId = options.timelineFile;
  const timeline = (files: readonly FileInfo[]) =>
    timelinePart(
      store,
      cap,
      summary,
      fileId === undefined
        ? undefined
        : {
            fileId,
            path: files.find((f) => f.fileId === fileId)?.path ?? fileId,
            ...(options.timelineLine !== undefined && { line: options.timelineLine }),
          },
    );
  const graph = (data: TraceData) => storeGraphFacts(store, code, payloadReaders(code), data.registrations);
  const reads = storeReads(options.reports);
  const { graphFacts, ...whole } = await loadWholeStore(store, summary, code, options, cap, {
    timeline,
    graph,
    reads,
  });
  const timelineWindow =
    whole.timelineWindow ?? (fileId === undefined ? undefined : windowOf(await timeline(whole.files ?? [])));
  if (graphFacts === undefined) return { ...whole, code, summary, options, ...(timelineWindow && { timelineWindow }) };
  return { ...whole, code, summary, options, graphFacts: await graphFacts, timelineWindow };
}

/** What the reports named (all of them when none are) read of a large store besides the aggregates. */
function storeReads(names: readonly string[] | undefined): ReadonlySet<StoreRead> {
  const reports = names === undefined ? allReports : allReports.filter((r) => names.includes(r.name));
  return new Set(reports.flatMap((r) => r.reads));
}

/** The timeline's part of the store, and the query it was read with. */
type TimelinePart = NonNullable<ReportInput['timelineWindow']> & { readonly query: EntityQuery };

const windowOf = ({ data, window }: TimelinePart): NonNullable<ReportInput['timelineWindow']> => ({ data, window });

/**
 * The timeline's part of the store: its first `cap` beat runs, or those of one log file (its first, or those around
 * its `line`).
 */
async function timelinePart(
  store: TelemetryStore,
  cap: number,
  summary: StoreSummary,
  file?: { readonly fileId: string; readonly path: string; readonly line?: number },
): Promise<TimelinePart> {
  const { from, before } =
    file?.line === undefined
      ? { before: await store.placeOf('beat-run', cap, file?.fileId) }
      : await placesAround(store, file.fileId, file.line, cap);
  const query = {
    ...(from !== undefined && { from }),
    ...(before !== undefined && { before }),
    ...(file !== undefined && { fileIds: [file.fileId] }),
  };
  const read = await loadTraceData(store, query);
  const data =
    from === undefined || file === undefined ? read : await withSessionsBegunBefore(store, read, file.fileId);
  const window = {
    beatRuns: data.beats.length,
    storeBeatRuns: summary.beatRuns,
    ...(file !== undefined && { logFile: file.path, wholeFile: from === undefined && before === undefined }),
    ...(file?.line !== undefined && { aroundLine: file.line }),
  };
  return { data, window, query };
}

/**
 * The trace data, aggregates and files of a store and, past `cap` beat runs, the timeline's part (`timeline`, read
 * once the aggregates are, so the two are not held at once), the findings' parts (each about `cap` beat runs,
 * judged against the whole store, whose timed handler runs are collected in the aggregates' pass; a part within the
 * timeline's is taken from it) and the graph's facts (`graph`, computed in the store: started before the parts are
 * read, so that the database works on them while this thread judges; resolved by the caller); of these three, those
 * in `reads` (all when left out).
 */
async function loadWholeStore(
  store: TelemetryStore,
  summary: StoreSummary,
  code: CodeIndex | undefined,
  options: AnalysisOptions,
  cap: number,
  beside?: {
    readonly timeline: (files: readonly FileInfo[]) => Promise<TimelinePart>;
    readonly graph: (data: TraceData) => Promise<GraphFacts>;
    readonly reads?: ReadonlySet<StoreRead>;
  },
): Promise<
  Pick<ReportInput, 'data' | 'files' | 'aggregates' | 'findingParts' | 'timelineWindow'> & {
    readonly graphFacts?: Promise<GraphFacts>;
  }
> {
  const files = await store.files();
  const large = summary.beatRuns > cap;
  const reads = (what: StoreRead) => beside?.reads?.has(what) ?? true;
  const data = await loadTraceData(store, {}, large ? AGGREGATE_FIELDS : undefined);
  const times =
    large && reads('findings')
      ? {
          handlers: new HistoryTimes(summary.handlerRuns),
          beats: new BeatTimes(summary.beatRuns),
          sessions: new SessionActivity(data.errors),
        }
      : undefined;
  const aggregates = await aggregateStore(store, data, summary, code, options.heatmap, times);
  if (!large) return { data, files, aggregates };
  const graphFacts = reads('graph') ? beside?.graph(data) : undefined;
  // Awaited by the caller; a failure before then is not an unhandled rejection.
  graphFacts?.catch(() => undefined);
  // The findings' first part is taken from the window, so they read it too.
  const window = reads('timeline') || times ? await beside?.timeline(files) : undefined;
  const planned = (parts: number, read: number) => {
    const again =
      read === parts
        ? 'reads each again'
        : read === 0
          ? 'none holds anything to judge'
          : `reads the ${read} with something to judge again`;
    options.progress?.(
      `the store holds ${summary.beatRuns.toLocaleString('en-US')} beat runs: findings split it into ${parts} parts of about ${cap.toLocaleString('en-US')}; ${again} …`,
    );
  };
  const findingParts =
    times &&
    (await findingsByPart(
      store,
      {
        data,
        code,
        files,
        flows: aggregates.flows,
        times,
        executions: aggregates.handlerRunCounts,
        ...(window && { window }),
      },
      cap,
      planned,
    ));
  return {
    data,
    files,
    aggregates,
    ...(findingParts && { findingParts }),
    ...(window && { timelineWindow: windowOf(window) }),
    ...(graphFacts && { graphFacts }),
  };
}

/**
 * The findings of a store without its code index, as `report findings` computes them without one: what
 * `serve --alerts` watches. Past `cap` beat runs the store is read in parts, as `analyze` reads it, instead of whole.
 */
export async function storeFindings(store: TelemetryStore, cap = TIMELINE_BEATS): Promise<FindingsReport> {
  const summary = await store.summary();
  // A store that fits is read whole: no aggregates pass is needed for its findings alone.
  if (summary.beatRuns <= cap) {
    const [data, files] = await Promise.all([loadTraceData(store), store.files()]);
    return analyzeFindings({ data, files });
  }
  const { data, files, aggregates, findingParts } = await loadWholeStore(store, summary, undefined, {}, cap);
  return findingsReport.run({ data, files, aggregates, findingParts, code: undefined, summary }).data as FindingsReport;
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
