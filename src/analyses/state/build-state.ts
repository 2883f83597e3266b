/**
 * The state analysis: every handler-level DataBaton change line (`+key ~key -key`) grouped by key, then by
 * writer (plugin, handler, sequence), and per request the handlers that wrote the same key (conflicts).
 */

import type { FileInfo } from '../../model/file-info.js';
import type { CodeIndex } from '../../model/index.js';
import { compareStrings } from '../collections.js';
import { payloadReaders } from '../payload-readers.js';
import type { TraceData } from '../trace-data.js';
import type { KeyConflict, KeyState, KeyWriter, RequestStep, StateReport } from './state-types.js';
import { previewShapes } from './value-shape.js';

/** Conflicts kept per key in the report; `conflictCount` has them all. */
export const CONFLICTS_PER_KEY = 50;

/** Value shapes kept per writer, most frequent first. */
export const SHAPES_PER_WRITER = 5;

type MutableWriter = { -readonly [K in keyof Omit<KeyWriter, 'shapes'>]: KeyWriter[K] } & {
  shapeCounts: Map<string, number>;
};

export interface StateOptions {
  /** `report state <key>`: that DataBaton key only. */
  readonly key?: string | null;
  /** `report state --request <id>`: that request's change lines, beat by beat. */
  readonly requestId?: string | null;
  /** The ingested files, so a request's steps name their log file. */
  readonly files?: readonly FileInfo[];
}

export function buildState(data: TraceData, code: CodeIndex | undefined, options: StateOptions = {}): StateReport {
  const filterKey = options.key ?? null;
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
    // Parsed on the first key that needs it: most lines carry a preview, few readers ask for every key.
    let shapes: ReadonlyMap<string, string> | undefined;
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
        shapeCounts: new Map(),
      };
      perKey.set(id, w);
      w[op]++;
      // One line touching a key twice (`+k,~k` never happens, but a malformed line might) counts once.
      if (seen.has(key)) continue;
      seen.add(key);
      w.count++;
      writes++;
      if (op !== 'removed') {
        shapes ??= previewShapes(d.preview);
        const shape = shapes.get(key);
        if (shape !== undefined) w.shapeCounts.set(shape, (w.shapeCounts.get(shape) ?? 0) + 1);
      }
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
      writers: [...(writers.get(key)?.values() ?? [])]
        .map(withShapes)
        .sort((a, b) => b.count - a.count || compareStrings(`${a.plugin}/${a.handler}`, `${b.plugin}/${b.handler}`)),
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
    request: options.requestId
      ? { requestId: options.requestId, steps: requestSteps(data, sequenceOfRun, options) }
      : null,
    notes,
  };
}

function withShapes(w: MutableWriter): KeyWriter {
  const { shapeCounts, ...rest } = w;
  const shapes = [...shapeCounts]
    .map(([shape, count]) => ({ shape, count }))
    .sort((a, b) => b.count - a.count || compareStrings(a.shape, b.shape))
    .slice(0, SHAPES_PER_WRITER);
  return { ...rest, shapes };
}

/** Every DataBaton change line of the request (handler- and beat-level), in log order within its session. */
function requestSteps(
  data: TraceData,
  sequenceOfRun: ReadonlyMap<string, string>,
  options: StateOptions,
): RequestStep[] {
  const fileOfSession = new Map(data.sessions.map((s) => [s.id, s.fileId]));
  const pathOfFile = new Map((options.files ?? []).map((f) => [f.fileId, f.path]));
  return data.batons
    .filter((d) => d.requestId === options.requestId)
    .sort((a, b) => compareStrings(a.sessionId, b.sessionId) || a.line - b.line)
    .map((d) => {
      const fileId = fileOfSession.get(d.sessionId) ?? '';
      return {
        sequence: (d.sequenceRunId && sequenceOfRun.get(d.sequenceRunId)) || d.sequenceName,
        beat: d.beat,
        event: d.event,
        handler: d.level === 'handler' ? d.handler : null,
        plugin: d.pluginId,
        added: d.change.added,
        updated: d.change.updated,
        removed: d.change.removed,
        preview: d.preview,
        timeMs: d.timeMs,
        logFile: pathOfFile.get(fileId) ?? fileId,
        logLine: d.line,
      };
    });
}
