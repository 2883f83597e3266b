/**
 * Findings of a store too large to hold, read part by part: consecutive whole sessions of about `beatsPerPart`
 * beat runs each (`storeParts`: a session is cut inside only when it is longer than about two parts). Each part is
 * loaded as trace data, judged, and dropped; what it leaves is small:
 * - its window findings (error bursts, sequence error bursts, latency anomalies): each is about one stretch of one
 *   session (`windowFindings`); latency is judged against the whole store's executions of the handler (its
 *   timed handler runs are collected from the store's handler-run facts first, a few numbers each), a handler's
 *   error burst against its rate in the rest of the store; a sequence's burst windows are kept and tested once
 *   every part has counted the sequence's runs;
 * - each error group's root-cause tables and matrix cells, which add up over parts (handler-errors.ts; a slow beat
 *   is one slower than most of that beat's runs in the whole store, collected in the flows' pass);
 * - the runs and beats that handler errors and flow violations name, for their sequences, events, lines and times;
 * - its runs per sequence, for the rates of run-level flow findings and the sequence bursts' tests.
 * Handler errors themselves are grouped and counted over the whole store, and flow findings come from the flows
 * report over it (both computed before the parts are read).
 *
 * A part none of whose sessions holds anything a finder can report — no handler error or failed run, no execution
 * of a handler that throws elsewhere, no located flow violation, no stretch of executions slow enough before the
 * host's load is taken off (session-activity.ts, latency-anomalies.ts `slowSessions`) — is *quiet* and not read:
 * its findings would be none, and its runs, which count towards their sequences' rates, are counted in the whole
 * store's pass. The result is the same as reading it.
 */

import type { CodeIndex } from '../../model/code-index.js';
import type { BeatRun, SequenceRun, Session, TraceEntity } from '../../model/entities.js';
import type { FileInfo } from '../../model/file-info.js';
import { entityLine } from '../../store/entity-file.js';
import type { EntityPlace, EntityQuery, TelemetryStore } from '../../store/telemetry-store.js';
import { compareStrings } from '../collections.js';
import type { FlowReport } from '../flow-types.js';
import type { HandlerRunCount } from '../handler-aggregate.js';
import { handlerKey } from '../handler-lookup.js';
import { loadTraceData, type TraceData } from '../trace-data.js';
import { errorBurstFindings } from './error-bursts.js';
import { type FindingContext, findingContext, type StoreTimes } from './finding-context.js';
import type { Finding } from './findings-types.js';
import { type ErrorGroupPart, ErrorSignatures, errorGroupParts } from './handler-errors.js';
import { latencyFindings, slowSessions } from './latency-anomalies.js';
import { type SequenceBursts, sequenceBurstCandidates } from './sequence-bursts.js';
import { FrameMapper } from './stack-frames.js';

/**
 * The findings about stretches of single sessions: error bursts (handler and sequence) and latency anomalies.
 * Sequence bursts are candidates until their sequences' totals are known (sequence-bursts.ts): here, the
 * context's. `totals`: each handler's errors and executions over the whole store, when `ctx` is one part of it.
 */
export function windowFindings(
  ctx: FindingContext,
  totals?: ReadonlyMap<string, { readonly errors: number; readonly executions: number }>,
): { readonly findings: Finding[]; readonly sequenceBursts: SequenceBursts } {
  const bursts = errorBurstFindings(ctx, totals);
  return { findings: [...bursts, ...latencyFindings(ctx)], sequenceBursts: sequenceBurstCandidates(ctx, bursts) };
}

/** What the findings keep of every part of a store (see the file header). */
export interface FindingsParts {
  /**
   * Parts the store was split into; those of them without a session to judge, which were not read (see the file
   * header); the most beat runs one of the others held (0 when every part was quiet).
   */
  readonly parts: number;
  readonly quietParts: number;
  readonly largestPart: number;
  /** Handler error bursts and latency anomalies. */
  readonly windows: readonly Finding[];
  /**
   * Per part read, its sequence burst candidates and runs per sequence, and last the quiet parts' runs per sequence
   * (their sum: the flow findings' rates and the bursts' totals).
   */
  readonly sequenceBursts: readonly SequenceBursts[];
  /** Per part, its error groups' tables and cells by group key. */
  readonly errorGroups: readonly ReadonlyMap<string, ErrorGroupPart>[];
  readonly runs: readonly SequenceRun[];
  readonly beats: readonly BeatRun[];
  /** Over the whole store (counted in its handler-run facts' pass) and over all parts. */
  readonly handlerRuns: number;
  readonly timedHandlerRuns: number;
  readonly sequenceRuns: number;
}

/**
 * What a part loads of the store; the small kinds come from the whole store's data. DataBaton diffs (as many as
 * handler runs, a third of a part's reading time) only the root-cause hints read, so only when there are errors.
 */
const PART_FIELDS: readonly (keyof TraceData)[] = ['runs', 'beats', 'handlerRuns', 'errors'];
const HINT_FIELDS: readonly (keyof TraceData)[] = [...PART_FIELDS, 'batons'];

/** What the parts are judged with, read from the whole store before them. */
export interface WholeStore {
  /** Its small kinds: sessions, mounts, registrations, subscriptions, handler errors. */
  readonly data: TraceData;
  readonly code: CodeIndex | undefined;
  readonly files: readonly FileInfo[];
  /** Its flows report: its violations name the runs and beats kept for their lines and times. */
  readonly flows: FlowReport;
  /** Every timed handler run (the latency baselines, handler-histories.ts) and beat (the hints' slow beats). */
  readonly times: StoreTimes;
  /** Its handler runs and failed ones, per handler: the error bursts' rate elsewhere. */
  readonly executions: readonly HandlerRunCount[];
  /**
   * The store's first entities, already read with every kind (the timeline's window): a part within it is taken
   * from it instead of being read again.
   */
  readonly window?: { readonly query: EntityQuery; readonly data: TraceData };
}

/**
 * Reads `store` part by part (see the file header), each of about `beatsPerPart` beat runs; `planned` is told how
 * many parts there are and how many will be read, before they are.
 */
export async function findingsByPart(
  store: TelemetryStore,
  { data, code, files, flows, times, executions, window }: WholeStore,
  beatsPerPart: number,
  planned?: (parts: number, read: number) => void,
): Promise<FindingsParts> {
  const namedRuns = new Set<string>();
  const namedBeats = new Set<string>();
  const name = (runId: string | null, beatRunId: string | null) => {
    if (runId !== null) namedRuns.add(runId);
    if (beatRunId !== null) namedBeats.add(beatRunId);
  };
  // Sessions where a finder can find something (session-activity.ts), and those of the runs and beats violations
  // name; a violation naming a run or beat of no known session (none does) makes every session judged.
  const judged = new Set([...times.sessions.judged, ...slowSessions(times.handlers)]);
  for (const e of data.errors) name(e.sequenceRunId, e.beatRunId);
  for (const v of flows.violations) {
    if (v.runId === null && v.beatRunId === null) continue;
    name(v.runId, v.beatRunId);
    for (const id of v.sessionId === null ? data.sessions.map((s) => s.id) : [v.sessionId]) judged.add(id);
  }

  const totals = new Map(executions.map((h) => [handlerKey(h.handler, h.pluginId), h]));
  const signatures = new ErrorSignatures(new FrameMapper(code));
  const windows: Finding[] = [];
  const errorGroups: ReadonlyMap<string, ErrorGroupPart>[] = [];
  const runs: SequenceRun[] = [];
  const beats: BeatRun[] = [];
  const sequenceBursts: SequenceBursts[] = [];
  let largestPart = 0;
  const parts = await storeParts(store, data.sessions, beatsPerPart);
  // A part of no known session (none should be) is read: nothing says it holds nothing to judge.
  const read = parts.filter((part) => part.sessions.length === 0 || part.sessions.some((id) => judged.has(id)));
  planned?.(parts.length, read.length);
  const fileOfSession = new Map(data.sessions.map((s) => [s.id, s.fileId]));
  const load = async (part: StorePart) =>
    (window && partOfWindow(part.query, window, fileOfSession)) ??
    loadTraceData(store, part.query, data.errors.length > 0 ? HINT_FIELDS : PART_FIELDS);
  let next = read.length > 0 ? load(read[0]!) : undefined;
  for (let i = 0; i < read.length; i++) {
    const part = await next!;
    // The next part is read while this one is judged: the store's own threads work beside this one.
    if (i + 1 < read.length) next = load(read[i + 1]!);
    const ctx = findingContext({ ...data, ...pick(part) }, code, files, times);
    const found = windowFindings(ctx, totals);
    windows.push(...found.findings);
    sequenceBursts.push(found.sequenceBursts);
    errorGroups.push(errorGroupParts(ctx, signatures, data.errors));
    for (const r of part.runs) if (namedRuns.has(r.id)) runs.push(r);
    for (const b of part.beats) if (namedBeats.has(b.id)) beats.push(b);
    largestPart = Math.max(largestPart, part.beats.length);
  }
  // The quiet parts' runs, counted by the whole store's pass less the parts read: they fail none.
  const runsPerSequence = new Map(times.sessions.runsPerSequence);
  for (const [sequence, n] of sequenceBursts.flatMap((p) => [...p.runs])) {
    runsPerSequence.set(sequence, runsPerSequence.get(sequence)! - n);
  }
  sequenceBursts.push({ candidates: [], failing: new Map(), runs: runsPerSequence });
  return {
    parts: parts.length,
    quietParts: parts.length - read.length,
    largestPart,
    windows,
    errorGroups,
    runs,
    beats,
    sequenceBursts,
    handlerRuns: times.sessions.handlerRuns,
    timedHandlerRuns: times.sessions.timedHandlerRuns,
    sequenceRuns: [...times.sessions.runsPerSequence.values()].reduce((a, b) => a + b, 0),
  };
}

function pick(part: TraceData): Pick<TraceData, 'runs' | 'beats' | 'handlerRuns' | 'errors' | 'batons'> {
  return {
    runs: part.runs,
    beats: part.beats,
    handlerRuns: part.handlerRuns,
    errors: part.errors,
    batons: part.batons,
  };
}

/**
 * The entities of `query` taken from `window` (read with `window.query`), when the window holds all of them: both
 * read the store from its start (no `from`, no file list) and the query ends where the window does or before it.
 * Undefined otherwise, or when an entity's file is not known (it is then read from the store). The window's lists
 * are in store order, so each part kind is the window's list cut at the query's end.
 */
export function partOfWindow(
  query: EntityQuery,
  window: { readonly query: EntityQuery; readonly data: TraceData },
  fileOfSession: ReadonlyMap<string, string>,
): TraceData | undefined {
  const fromStart = (q: EntityQuery) => q.from === undefined && q.fileIds === undefined;
  if (!fromStart(query) || !fromStart(window.query)) return undefined;
  const end = query.before;
  const windowEnd = window.query.before;
  if (windowEnd === undefined) return window.data; // the window is the whole store
  if (end === undefined || comparePlaces(end, windowEnd) > 0) return undefined;
  if (comparePlaces(end, windowEnd) === 0) return window.data;
  let unknownFile = false;
  const cut = <E extends TraceEntity>(list: readonly E[]): E[] => {
    let n = 0;
    for (const e of list) {
      const fileId = 'span' in e ? e.span.fileId : 'sessionId' in e ? fileOfSession.get(e.sessionId) : undefined;
      if (fileId === undefined) unknownFile = true;
      else if (comparePlaces({ fileId, line: entityLine(e) }, end) >= 0) break;
      n++;
    }
    return list.slice(0, n);
  };
  const { runs, beats, handlerRuns, errors, batons } = window.data;
  const part = {
    ...window.data,
    runs: cut(runs),
    beats: cut(beats),
    handlerRuns: cut(handlerRuns),
    errors: cut(errors),
    batons: cut(batons),
  };
  return unknownFile ? undefined : part;
}

/** One part of a store: what to read, and the sessions it holds entities of. */
export interface StorePart {
  readonly query: EntityQuery;
  readonly sessions: readonly string[];
}

/**
 * The parts, in store order. Part boundaries are session starts: a part ends where the session holding its
 * (k × `beatsPerPart`)-th beat run begins, so a part holds about `beatsPerPart` beat runs of whole sessions. A session
 * still running one step later is kept whole up to about twice `beatsPerPart`; a longer one is cut inside, every
 * `beatsPerPart` beat runs (its findings near a cut may then differ from the store read whole: a window of executions
 * across the cut is seen as two, and the executions after it restart their rank in the session).
 */
export async function storeParts(
  store: Pick<TelemetryStore, 'placeOf'>,
  sessions: readonly Session[],
  beatsPerPart: number,
): Promise<StorePart[]> {
  const starts = sessions.map((s) => ({ fileId: s.fileId, line: s.startLine, id: s.id })).sort(comparePlaces);
  const cuts: EntityPlace[] = [];
  let cutStep = 0;
  let previousPlace: EntityPlace | undefined;
  for (let k = 1; ; k++) {
    const place = await store.placeOf('beat-run', k * beatsPerPart);
    if (place === undefined) break;
    const start = starts.findLast((s) => comparePlaces(s, place) <= 0);
    const previous = cuts.at(-1) ?? starts[0];
    if (start !== undefined && previous !== undefined && comparePlaces(start, previous) > 0) {
      cuts.push(start);
      cutStep = k;
    } else if (k - cutStep >= 2 && previousPlace !== undefined) {
      // One session since the last cut and still running after two steps: cut it at the step before.
      cuts.push(previousPlace);
      cutStep = k - 1;
    }
    previousPlace = place;
  }
  const queries: EntityQuery[] =
    cuts.length === 0
      ? [{}]
      : [
          { before: cuts[0]! },
          ...cuts.slice(1).map((before, i) => ({ from: cuts[i]!, before })),
          { from: cuts.at(-1)! },
        ];
  // A part holds the sessions starting in it and the one running where it begins.
  return queries.map((query) => {
    const { from, before } = query;
    const running = from && starts.findLast((s) => comparePlaces(s, from) <= 0);
    const starting = starts.filter(
      (s) => (!from || comparePlaces(s, from) >= 0) && (!before || comparePlaces(s, before) < 0),
    );
    return { query, sessions: [...new Set([...(running ? [running.id] : []), ...starting.map((s) => s.id)])] };
  });
}

/** Store order: by file (fileId), then line. */
function comparePlaces(a: EntityPlace, b: EntityPlace): number {
  return compareStrings(a.fileId, b.fileId) || a.line - b.line;
}
