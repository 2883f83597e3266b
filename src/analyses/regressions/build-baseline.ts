/**
 * Builds a performance baseline from trace data: the same timed handler runs as the heatmap (handler-times.ts:
 * known duration, settled within its beat), grouped per plugin × handler and per sequence × handler.
 */
import { sequenceLabel } from '../../model/unknown-names.js';
import { compareStrings, round2 } from '../collections.js';
import { normalizeMessage } from '../findings/fingerprint.js';
import { byStartTime, type TraceData } from '../trace-data.js';
import { traceIndex } from '../trace-index.js';
import {
  BASELINE_SCHEMA,
  BASELINE_VERSION,
  type Baseline,
  type BaselineEntry,
  type BaselineSequence,
  SAMPLE_CAP,
} from './baseline-types.js';

/** Label of a handler run whose plugin the log did not name. */
/** What `buildBaseline` reads of a store (`loadTraceData`'s fields): not the DataBaton diffs, the largest part. */
export const BASELINE_FIELDS: readonly (keyof TraceData)[] = ['sessions', 'runs', 'beats', 'handlerRuns', 'errors'];

export const UNKNOWN_PLUGIN = '(unknown plugin)';

interface Acc {
  plugin: string;
  handler: string;
  sequence: string | null;
  executions: number;
  late: number;
  errors: number;
  times: number[];
}

export function buildBaseline(data: TraceData, createdAt: Date = new Date()): Baseline {
  const index = traceIndex(data);
  const entries = new Map<string, Acc>();
  const accOf = (plugin: string, handler: string, sequence: string | null): Acc => {
    const key = `${plugin}\u0000${handler}\u0000${sequence ?? ''}\u0000${sequence === null ? 0 : 1}`;
    let acc = entries.get(key);
    if (!acc) {
      acc = { plugin, handler, sequence, executions: 0, late: 0, errors: 0, times: [] };
      entries.set(key, acc);
    }
    return acc;
  };
  for (let i = 0; i < data.handlerRuns.length; i++) {
    const h = data.handlerRuns[i]!;
    const r = index.runOfHandlerRun[i]!;
    const sequence = sequenceLabel((r < 0 ? undefined : data.runs[r])?.sequenceName || h.sequenceName);
    const plugin = h.pluginId ?? UNKNOWN_PLUGIN;
    for (const acc of [accOf(plugin, h.handler, null), accOf(plugin, h.handler, sequence)]) {
      acc.executions++;
      if (h.status === 'error') acc.errors++;
      if (h.settledAfterBeat) acc.late++;
      else if (h.durationMs !== null) acc.times.push(h.durationMs);
    }
  }
  const signatures = new Map<string, Map<string, number>>();
  for (const e of data.errors) {
    const key = `${e.pluginId}\u0000${e.handler}`;
    const counts = signatures.get(key) ?? new Map<string, number>();
    const sig = normalizeMessage(e.message);
    counts.set(sig, (counts.get(sig) ?? 0) + 1);
    signatures.set(key, counts);
  }
  const handlers = [...entries.values()].map((acc): BaselineEntry => {
    const sigs = acc.sequence === null ? signatures.get(`${acc.plugin}\u0000${acc.handler}`) : undefined;
    return {
      plugin: acc.plugin,
      handler: acc.handler,
      sequence: acc.sequence,
      executions: acc.executions,
      timedExecutions: acc.times.length,
      settledAfterBeat: acc.late,
      errors: acc.errors,
      errorSignatures: [...(sigs ?? [])]
        .map(([signature, count]) => ({ signature, count }))
        .sort((a, b) => b.count - a.count || compareStrings(a.signature, b.signature)),
      timesMs: capSample(
        acc.times.sort((a, b) => a - b),
        SAMPLE_CAP,
      ).map(round2),
    };
  });
  handlers.sort(
    (a, b) =>
      (a.sequence === null ? 0 : 1) - (b.sequence === null ? 0 : 1) ||
      compareStrings(a.plugin, b.plugin) ||
      compareStrings(a.handler, b.handler) ||
      compareStrings(a.sequence ?? '', b.sequence ?? ''),
  );
  const first = [...data.sessions].sort(byStartTime)[0];
  return {
    schema: BASELINE_SCHEMA,
    version: BASELINE_VERSION,
    createdAt: createdAt.toISOString(),
    source: {
      sessions: data.sessions.length,
      handlerRuns: data.handlerRuns.length,
      firstSessionStart: first?.startMs != null ? new Date(first.startMs).toISOString() : null,
    },
    handlers,
    sequences: sequencesSeen(data),
  };
}

/** `sorted` itself when it fits, else `cap` order statistics at quantiles (k + 0.5) / cap: deterministic. */
export function capSample(sorted: readonly number[], cap: number): number[] {
  if (sorted.length <= cap) return [...sorted];
  const n = sorted.length;
  return Array.from({ length: cap }, (_, k) => sorted[Math.min(n - 1, Math.floor(((k + 0.5) * n) / cap))]!);
}

function sequencesSeen(data: TraceData): BaselineSequence[] {
  const runs = new Map<string, { runs: Set<string>; beats: Set<string> }>();
  const of = (name: string) => {
    let s = runs.get(name);
    if (!s) {
      s = { runs: new Set(), beats: new Set() };
      runs.set(name, s);
    }
    return s;
  };
  for (const r of data.runs) of(sequenceLabel(r.sequenceName)).runs.add(r.id);
  for (const b of data.beats) if (b.event !== null) of(sequenceLabel(b.sequenceName)).beats.add(b.event);
  return [...runs]
    .map(([sequence, s]) => ({ sequence, runs: s.runs.size, beats: [...s.beats].sort(compareStrings) }))
    .sort((a, b) => compareStrings(a.sequence, b.sequence));
}
