/**
 * Numeric indexes over a TraceData, shared by the heatmap and the timeline: entity ids → array positions, and
 * handlers (plugin + name) interned to small integers. Hot loops then read typed arrays by position instead of
 * looking up string-keyed maps or building `plugin\0name` keys per run. Built once per TraceData object and
 * cached in a WeakMap, so `analyzeStore` joins the entities once, not once per analysis.
 */
import type { TraceData } from './trace-data.js';

/**
 * Handlers interned in first-seen order. A handler is name + plugin, with a null plugin and an empty plugin
 * the same handler (as `handlerKey` has always joined them); `plugin` keeps the first-seen value.
 */
export class HandlerTable {
  readonly names: string[] = [];
  readonly plugins: (string | null)[] = [];
  private readonly byPlugin = new Map<string, Map<string, number>>();

  get size(): number {
    return this.names.length;
  }

  find(plugin: string | null, name: string): number | undefined {
    return this.byPlugin.get(plugin ?? '')?.get(name);
  }

  intern(plugin: string | null, name: string): number {
    let byName = this.byPlugin.get(plugin ?? '');
    if (byName === undefined) {
      byName = new Map();
      this.byPlugin.set(plugin ?? '', byName);
    }
    let id = byName.get(name);
    if (id === undefined) {
      id = this.names.push(name) - 1;
      this.plugins.push(plugin);
      byName.set(name, id);
    }
    return id;
  }

  /** A copy to extend (the timeline adds handlers that only beats name) without touching the shared one. */
  fork(): HandlerTable {
    const copy = new HandlerTable();
    for (let i = 0; i < this.names.length; i++) copy.intern(this.plugins[i]!, this.names[i]!);
    return copy;
  }
}

/**
 * Positions of items by id (ids are unique, a model invariant; were one repeated, a reference could resolve to
 * any item holding it: the cursor scan takes the one it meets first, the full map the last). Lists and the entities that refer to them are both in log order, so the item a reference names is
 * nearly always at or just after the one found last (a handler run's beat is the beat being played): `resolve`
 * scans a few items around a cursor first, then merges the misses forward. Only what neither finds builds the
 * full id → position map (once, kept), which with a million beats costs more than the whole join otherwise does.
 */
export class PositionIndex {
  private map: Map<string, number> | undefined;

  constructor(private readonly items: readonly { readonly id: string }[]) {}

  /** Positions of the `count` ids `idAt(0..count-1)`, in that order; -1 for a null or unknown id. */
  resolve(count: number, idAt: (i: number) => string | null): Int32Array {
    const items = this.items;
    const out = new Int32Array(count).fill(-1);
    const missed: number[] = [];
    let cursor = 0;
    for (let i = 0; i < count; i++) {
      const id = idAt(i);
      if (id === null) continue;
      let found = -1;
      const to = Math.min(items.length, cursor + WINDOW);
      for (let k = cursor; k < to && found < 0; k++) if (items[k]!.id === id) found = k;
      for (let k = Math.max(0, cursor - WINDOW); k < cursor && found < 0; k++) if (items[k]!.id === id) found = k;
      if (found < 0) missed.push(i);
      else {
        out[i] = found;
        cursor = found;
      }
    }
    if (missed.length === 0) return out;
    // Sparse references (errors every few hundred beats): a forward merge in log order, comparing ids instead of
    // hashing every item's, within a budget of two passes; what it cannot place goes through the full map.
    let budget = this.map === undefined ? 2 * items.length : 0;
    let from = 0;
    const left: number[] = [];
    for (const i of missed) {
      const id = idAt(i)!;
      let k = from;
      while (k < items.length && budget > 0 && items[k]!.id !== id) {
        k++;
        budget--;
      }
      if (k < items.length && budget > 0) {
        out[i] = k;
        from = k;
      } else left.push(i);
    }
    if (left.length > 0) {
      this.map ??= positions(items);
      for (const i of left) out[i] = this.map.get(idAt(i)!) ?? -1;
    }
    return out;
  }
}

/** Items scanned each side of the cursor before a reference counts as a miss. */
const WINDOW = 8;

export interface TraceIndex {
  readonly beats: PositionIndex;
  readonly runs: PositionIndex;
  /** Position in `data.sessions` by session id. */
  readonly sessionPos: ReadonlyMap<string, number>;
  /** Per beat (same positions as `data.beats`): its sequence run's position, -1 when none or unknown. */
  readonly runOfBeat: Int32Array;
  /** Per handler run (same positions as `data.handlerRuns`): its beat's position, -1 when none or unknown. */
  readonly beatOfHandlerRun: Int32Array;
  /** Per handler run: its sequence run's position, -1 when none or unknown. */
  readonly runOfHandlerRun: Int32Array;
  /** Per handler run: its handler's id in `handlers`. */
  readonly handlerOfRun: Int32Array;
  /** The handlers of `data.handlerRuns`, in first-seen order. Do not extend: `fork()` it. */
  readonly handlers: HandlerTable;
}

const cache = new WeakMap<TraceData, TraceIndex>();

export function traceIndex(data: TraceData): TraceIndex {
  let index = cache.get(data);
  if (index === undefined) {
    index = build(data);
    cache.set(data, index);
  }
  return index;
}

function positions(items: readonly { readonly id: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < items.length; i++) out.set(items[i]!.id, i);
  return out;
}

function build(data: TraceData): TraceIndex {
  const beats = new PositionIndex(data.beats);
  const runs = new PositionIndex(data.runs);
  const sessionPos = positions(data.sessions);
  const hr = data.handlerRuns;
  const runOfBeat = runs.resolve(data.beats.length, (i) => data.beats[i]!.sequenceRunId);
  const beatOfHandlerRun = beats.resolve(hr.length, (i) => hr[i]!.beatRunId);
  const runOfHandlerRun = runs.resolve(hr.length, (i) => hr[i]!.sequenceRunId);
  const handlerOfRun = new Int32Array(hr.length);
  const handlers = new HandlerTable();
  for (let i = 0; i < hr.length; i++) handlerOfRun[i] = handlers.intern(hr[i]!.pluginId, hr[i]!.handler);
  return { beats, runs, sessionPos, runOfBeat, beatOfHandlerRun, runOfHandlerRun, handlerOfRun, handlers };
}
