/**
 * `StoreSummary` computed from plain entities: the in-memory store's summary and the reference the
 * DuckDB store's SQL aggregates must match (the shared contract tests check both). Definitions are in
 * docs/schema.md ("Summary").
 */
import type { FileInfo, StoreSummary, TraceEntity } from '../model/index.js';

export function summarize(files: readonly FileInfo[], entities: Iterable<TraceEntity>): StoreSummary {
  const count: Record<string, number> = {};
  const bump = (key: string) => {
    count[key] = (count[key] ?? 0) + 1;
  };
  const handlers = new Set<string>();
  const sequences = new Set<string>();
  const registered = new Set<string>();
  let timeSpanMs = 0;
  for (const e of entities) {
    bump(e.kind);
    switch (e.kind) {
      case 'session':
        if (e.startMs !== null && e.endMs !== null) timeSpanMs += e.endMs - e.startMs;
        break;
      case 'plugin-mount':
        bump(`plugin-mount:${e.status}`);
        break;
      case 'sequence-registration': {
        const key = registrationKey(e.sequenceId, e.sequenceName);
        if (key !== null) registered.add(`${e.sessionId}\u0000${key}`);
        break;
      }
      case 'sequence-run':
        if (e.sequenceName !== '') sequences.add(e.sequenceName);
        bump(`sequence-run:${e.status}`);
        break;
      case 'movement-run':
      case 'beat-run':
        bump(`${e.kind}:${e.status}`);
        break;
      case 'handler-run':
      case 'handler-error':
        handlers.add(e.handler);
        break;
      default:
        break;
    }
  }
  const n = (key: string) => count[key] ?? 0;
  const sumFiles = (pick: (f: FileInfo) => number) => files.reduce((total, f) => total + pick(f), 0);
  return {
    files: files.length,
    lines: sumFiles((f) => f.lines),
    linesRecognized: sumFiles((f) => f.linesRecognized),
    linesUnknown: sumFiles((f) => f.linesUnknown),
    sessions: n('session'),
    pluginMountAttempts: n('plugin-mount'),
    pluginMountsSucceeded: n('plugin-mount:succeeded'),
    pluginMountsFailed: n('plugin-mount:failed'),
    sequencesRegistered: registered.size,
    subscriptions: n('subscription'),
    sequenceRuns: n('sequence-run'),
    sequenceRunsCompleted: n('sequence-run:completed'),
    sequenceRunsFailed: n('sequence-run:failed'),
    movementRunsCompleted: n('movement-run:completed'),
    beatRuns: n('beat-run'),
    beatRunsCompleted: n('beat-run:completed'),
    beatRunsFailed: n('beat-run:failed'),
    handlerErrors: n('handler-error'),
    batonDiffs: n('baton-diff'),
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
