/**
 * The state analysis: every handler-level DataBaton change line (`+key ~key -key`) grouped by key, then by
 * writer (plugin, handler, sequence), and per request the handlers that wrote the same key (conflicts).
 */

import type { CodeIndex } from '../../model/index.js';
import { compareStrings } from '../collections.js';
import { payloadReaders } from '../payload-readers.js';
import type { TraceData } from '../trace-data.js';
import type { KeyConflict, KeyState, KeyWriter, StateReport } from './state-types.js';

/** Conflicts kept per key in the report; `conflictCount` has them all. */
export const CONFLICTS_PER_KEY = 50;

type MutableWriter = { -readonly [K in keyof KeyWriter]: KeyWriter[K] };

export function buildState(data: TraceData, code: CodeIndex | undefined, filterKey: string | null = null): StateReport {
  const sequenceOfRun = new Map(data.runs.map((r) => [r.id, r.sequenceName]));
  const writers = new Map<string, Map<string, MutableWriter>>();
  /** key → request id → writers (`plugin/handler`) in log order, and the first write's time. */
  const byRequest = new Map<string, Map<string, { handlers: string[]; atMs: number | null }>>();
  let writes = 0;
  let unattributedWrites = 0;
  for (const d of data.batons) {
    const ops: [string, 'added' | 'updated' | 'removed'][] = [
      ...d.change.added.map((k) => [k, 'added'] as [string, 'added']),
      ...d.change.updated.map((k) => [k, 'updated'] as [string, 'updated']),
      ...d.change.removed.map((k) => [k, 'removed'] as [string, 'removed']),
    ].filter(([k]) => filterKey === null || k === filterKey);
    if (ops.length === 0) continue;
    if (d.level !== 'handler' || d.handler === null) {
      unattributedWrites++;
      continue;
    }
    const sequence = (d.sequenceRunId && sequenceOfRun.get(d.sequenceRunId)) || d.sequenceName;
    const who = `${d.pluginId ?? '?'}/${d.handler}`;
    const seen = new Set<string>();
    for (const [key, op] of ops) {
      const perKey = writers.get(key) ?? new Map<string, MutableWriter>();
      writers.set(key, perKey);
      const id = JSON.stringify([d.pluginId, d.handler, sequence]);
      const w = perKey.get(id) ?? {
        plugin: d.pluginId,
        handler: d.handler,
        sequence,
        count: 0,
        added: 0,
        updated: 0,
        removed: 0,
        firstMs: null,
        lastMs: null,
      };
      perKey.set(id, w);
      w[op]++;
      // One line touching a key twice (`+k,~k` never happens, but a malformed line might) counts once.
      if (seen.has(key)) continue;
      seen.add(key);
      w.count++;
      writes++;
      if (d.timeMs !== null) {
        w.firstMs = w.firstMs === null ? d.timeMs : Math.min(w.firstMs, d.timeMs);
        w.lastMs = w.lastMs === null ? d.timeMs : Math.max(w.lastMs, d.timeMs);
      }
      if (d.requestId) {
        const reqs = byRequest.get(key) ?? new Map();
        byRequest.set(key, reqs);
        const r = reqs.get(d.requestId) ?? { handlers: [], atMs: d.timeMs };
        reqs.set(d.requestId, r);
        if (!r.handlers.includes(who)) r.handlers.push(who);
      }
    }
  }
  const readers = payloadReaders(code);
  const names = new Set(
    [...writers.keys(), ...readers.byKey.keys()].filter((k) => filterKey === null || k === filterKey),
  );
  const keys: KeyState[] = [...names].sort(compareStrings).map((key) => {
    const conflicts: KeyConflict[] = [...(byRequest.get(key) ?? new Map()).entries()]
      .filter(([, r]) => r.handlers.length > 1)
      .map(([requestId, r]) => ({ requestId, handlers: r.handlers, atMs: r.atMs }));
    return {
      key,
      writers: [...(writers.get(key)?.values() ?? [])].sort(
        (a, b) => b.count - a.count || compareStrings(`${a.plugin}/${a.handler}`, `${b.plugin}/${b.handler}`),
      ),
      readers: readers.byKey.get(key) ?? [],
      conflicts: conflicts.slice(0, CONFLICTS_PER_KEY),
      conflictCount: conflicts.length,
    };
  });
  const notes: string[] = [];
  if (!readers.indexed)
    notes.push(
      code
        ? 'the stored code index predates reading handler source for keys: re-run `beatscope index` to list readers'
        : 'no code index: readers (static reads of handler source) unknown, no key is reported unread',
    );
  else if (readers.unknown.length > 0)
    notes.push(
      `${readers.unknown.length} handlers read the payload in ways that cannot be named statically (computed keys, payload passed on): their reads are unknown`,
    );
  if (data.batons.length === 0 && data.beats.length > 0)
    notes.push('no DataBaton diffs loaded (large stores load them for the timeline only)');
  return {
    key: filterKey,
    readersIndexed: readers.indexed,
    summary: {
      keys: keys.length,
      writes,
      keysWithConflicts: keys.filter((k) => k.conflictCount > 0).length,
      unattributedWrites,
      writtenNotRead: readers.indexed ? keys.filter((k) => k.writers.length > 0 && k.readers.length === 0).length : 0,
      readNotWritten: readers.indexed ? keys.filter((k) => k.writers.length === 0 && k.readers.length > 0).length : 0,
    },
    keys,
    unknownReads: filterKey === null ? readers.unknown : [],
    notes,
  };
}
