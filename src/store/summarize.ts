/**
 * `StoreSummary` computed from plain entities: the in-memory store's summary and the reference the
 * DuckDB store's SQL aggregates must match (the shared contract tests check both). Definitions are in
 * docs/schema.md ("Summary").
 */
import type { FileInfo, StoreSummary, TraceEntity } from '../model/index.js';

/** `lists`: the entities, in lists (the in-memory store's, one per file; read in place, never copied). */
export function summarize(files: readonly FileInfo[], lists: Iterable<readonly TraceEntity[]>): StoreSummary {
  // Plain counters, not a count per `kind:status` string: a string built per entity cost most of the time of a
  // summary over a million beat runs.
  const count: Partial<Record<TraceEntity['kind'], number>> = {};
  let mountsSucceeded = 0;
  let mountsFailed = 0;
  let runsCompleted = 0;
  let runsFailed = 0;
  let movementsCompleted = 0;
  let beatsCompleted = 0;
  let beatsFailed = 0;
  /** Beat-level `No changes` DataBaton lines folded into their beats (they count as baton lines). */
  let batonUnchanged = 0;
  const handlers = new Set<string>();
  const sequences = new Set<string>();
  const registered = new Set<string>();
  let timeSpanMs = 0;
  for (const list of lists)
    for (const e of list) {
      count[e.kind] = (count[e.kind] ?? 0) + 1;
      switch (e.kind) {
        case 'session':
          if (e.startMs !== null && e.endMs !== null) timeSpanMs += e.endMs - e.startMs;
          break;
        case 'plugin-mount':
          if (e.status === 'succeeded') mountsSucceeded++;
          else if (e.status === 'failed') mountsFailed++;
          break;
        case 'sequence-registration': {
          const key = registrationKey(e.sequenceId, e.sequenceName);
          if (key !== null) registered.add(`${e.sessionId}\u0000${key}`);
          break;
        }
        case 'sequence-run':
          if (e.sequenceName !== '') sequences.add(e.sequenceName);
          if (e.status === 'completed') runsCompleted++;
          else if (e.status === 'failed') runsFailed++;
          break;
        case 'movement-run':
          if (e.status === 'completed') movementsCompleted++;
          break;
        case 'beat-run':
          if (e.status === 'completed') beatsCompleted++;
          else if (e.status === 'failed') beatsFailed++;
          batonUnchanged += e.batonUnchanged;
          break;
        case 'handler-run':
        case 'handler-error':
          handlers.add(e.handler);
          break;
        default:
          break;
      }
    }
  const n = (kind: TraceEntity['kind']) => count[kind] ?? 0;
  const sumFiles = (pick: (f: FileInfo) => number) => files.reduce((total, f) => total + pick(f), 0);
  return {
    files: files.length,
    lines: sumFiles((f) => f.lines),
    linesRecognized: sumFiles((f) => f.linesRecognized),
    linesUnknown: sumFiles((f) => f.linesUnknown),
    sessions: n('session'),
    pluginMountAttempts: n('plugin-mount'),
    pluginMountsSucceeded: mountsSucceeded,
    pluginMountsFailed: mountsFailed,
    sequencesRegistered: registered.size,
    subscriptions: n('subscription'),
    sequenceRuns: n('sequence-run'),
    sequenceRunsCompleted: runsCompleted,
    sequenceRunsFailed: runsFailed,
    movementRunsCompleted: movementsCompleted,
    beatRuns: n('beat-run'),
    beatRunsCompleted: beatsCompleted,
    beatRunsFailed: beatsFailed,
    handlerRuns: n('handler-run'),
    handlerErrors: n('handler-error'),
    batonDiffs: n('baton-diff') + batonUnchanged,
    handlersSeen: sortedDistinct(handlers),
    sequencesSeen: sortedDistinct(sequences),
    gaps: n('gap'),
    timeSpanMs,
    diagnostics: sumFiles((f) => f.diagnostics.length),
  };
}

/** A registration names its sequence by id when it can, else by name; `id:`/`name:` keep the two apart. */
export function registrationKey(sequenceId: string | null, sequenceName: string | null): string | null {
  if (sequenceId !== null) return `id:${sequenceId}`;
  return sequenceName === null ? null : `name:${sequenceName}`;
}

/** Sorted by UTF-16 code units (JS default order), the same in both stores whatever the SQL collation. */
export function sortedDistinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
