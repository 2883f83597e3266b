/**
 * The lookups every findings analysis shares, built once per report: session → log file, run by id, handler
 * executions by plugin + handler, the code index's handler locations, and evidence rows.
 */
import type { CodeIndex, SequenceDefinition } from '../../model/code-index.js';
import type { BeatRun, HandlerRun, SequenceRun, Session } from '../../model/entities.js';
import type { FileInfo } from '../../model/file-info.js';
import { groupByHandler, HandlerDefinitions } from '../handler-lookup.js';
import type { TraceData } from '../trace-data.js';
import { EVIDENCE_LIMIT, type FindingEvidence } from './findings-types.js';
import { HistoryTimes } from './handler-histories.js';
import { BeatTimes } from './root-cause.js';
import type { SessionActivity } from './session-activity.js';

export interface FindingContext {
  readonly data: TraceData;
  readonly code: CodeIndex | undefined;
  readonly handlers: HandlerDefinitions;
  readonly sessions: ReadonlyMap<string, Session>;
  readonly runs: ReadonlyMap<string, SequenceRun>;
  /** Beat runs by id, built on first use (a million beats cost a map only when some finding needs one). */
  beat(id: string | null): BeatRun | undefined;
  /** Handler executions (ok and error) by `handlerKey(handler, plugin)`, in (file, line) order. */
  readonly executions: ReadonlyMap<string, readonly HandlerRun[]>;
  /**
   * The timed executions the latency finder's baselines read (handler-histories.ts): the whole store's when the
   * context holds one part of it, else its own (built on first use).
   */
  readonly historyTimes: HistoryTimes;
  /** Beat times by slot, what a slow beat is measured against (root-cause.ts): the whole store's, like `historyTimes`. */
  readonly beatTimes: BeatTimes;
  logFileOf(sessionId: string): string | null;
  /** Handler source `file:line` from the code index; nulls without one. */
  handlerSource(handler: string, pluginId: string | null): { file: string | null; line: number | null };
  sequenceDefinition(sequenceId: string | null, sequenceName: string | null): SequenceDefinition | undefined;
  evidence(
    items: readonly {
      sessionId: string | null;
      line: number | null;
      runId?: string | null;
      beatRunId?: string | null;
      requestId?: string | null;
    }[],
  ): FindingEvidence[];
}

/** A run's sequence as findings name and count it: its definition id where known, else its name. */
export function sequenceKey(run: Pick<SequenceRun, 'sequenceId' | 'sequenceName'>): string {
  return run.sequenceId ?? run.sequenceName;
}

/**
 * What the whole-store passes collect for findings read part by part (findings-parts.ts): the times a context
 * holding one part judges against, and which sessions hold anything to judge.
 */
export interface StoreTimes {
  readonly handlers: HistoryTimes;
  readonly beats: BeatTimes;
  readonly sessions: SessionActivity;
}

export function findingContext(
  data: TraceData,
  code: CodeIndex | undefined,
  files: readonly FileInfo[],
  store?: StoreTimes,
): FindingContext {
  const paths = new Map(files.map((f) => [f.fileId, f.path]));
  const sessions = new Map(data.sessions.map((s) => [s.id, s]));
  const runs = new Map(data.runs.map((r) => [r.id, r]));
  const handlers = new HandlerDefinitions(code);
  const executions = groupByHandler(data.handlerRuns);
  const seqById = new Map((code?.sequences ?? []).map((s) => [s.id, s]));
  const seqByName = new Map((code?.sequences ?? []).map((s) => [s.name, s]));
  let beats: Map<string, BeatRun> | undefined;
  const beat = (id: string | null) => {
    if (id === null) return undefined;
    beats ??= new Map(data.beats.map((b) => [b.id, b]));
    return beats.get(id);
  };
  const logFileOf = (sessionId: string): string | null => {
    const fileId = sessions.get(sessionId)?.fileId ?? sessionId.split(':')[0] ?? null;
    return fileId === null ? null : (paths.get(fileId) ?? null);
  };
  let times = store?.handlers;
  let beatTimes = store?.beats;
  return {
    data,
    code,
    handlers,
    sessions,
    runs,
    beat,
    executions,
    get historyTimes() {
      times ??= HistoryTimes.ofRuns(data.handlerRuns);
      return times;
    },
    get beatTimes() {
      if (beatTimes === undefined) {
        beatTimes = new BeatTimes(data.beats.length);
        beatTimes.add(data.beats);
      }
      return beatTimes;
    },
    logFileOf,
    handlerSource(handler, pluginId) {
      const loc = handlers.find(handler, pluginId)?.location ?? null;
      return { file: loc?.file ?? null, line: loc?.line ?? null };
    },
    sequenceDefinition: (id, name) =>
      (id !== null ? seqById.get(id) : undefined) ?? (name ? seqByName.get(name) : undefined),
    evidence(items) {
      const located = items.filter((i) => i.sessionId !== null);
      return located.slice(0, EVIDENCE_LIMIT).map((i) => {
        const run = i.runId ? runs.get(i.runId) : undefined;
        return {
          session: i.sessionId!,
          requestId: i.requestId ?? run?.requestId ?? null,
          logFile: logFileOf(i.sessionId!),
          logLine: i.line,
          beatRunId: i.beatRunId ?? null,
          runId: i.runId ?? null,
        };
      });
    },
  };
}

/** ISO time of an epoch ms, null when unknown. */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** Distinct values in first-seen order, nulls left out. */
export function distinct(values: readonly (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
}

/** Earliest and latest of some epoch ms (nulls ignored), as ISO. */
export function seenRange(times: readonly (number | null)[]): { firstSeen: string | null; lastSeen: string | null } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    if (t === null) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return first > last ? { firstSeen: null, lastSeen: null } : { firstSeen: iso(first), lastSeen: iso(last) };
}
