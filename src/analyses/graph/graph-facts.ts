/**
 * What the graph's `publishes`, `chains` and `data` edges count, grouped before they become nodes and edges: from
 * a trace held in memory (`graphFactsOf`, here) or computed in the store over all of it (graph-facts-sql.ts). The
 * two give equal facts on the same runs (tested), so the graph of a store larger than the timeline's window still
 * counts every run.
 */
import type { CodeIndex, HandlerRun, SequenceRegistration, SequenceRun, SourceSpan } from '../../model/index.js';
import { handlerKey } from '../handler-lookup.js';
import { InnermostIndex } from '../innermost-index.js';
import type { PayloadReaders } from '../payload-readers.js';
import type { TraceData } from '../trace-data.js';
import { findChains } from './chains.js';

/** How a sequence run names its sequence, and the plugin it names (`plugin=` or the registry's). */
export interface RunSequence {
  readonly sequenceId: string | null;
  readonly sequenceName: string;
  readonly pluginId: string | null;
}

/**
 * Publish lines per publisher and bus name. The publisher is the innermost sequence run whose lines enclose the
 * publish line — or, in a console saved mid-run, the innermost beat's sequence. When that beat has one handler and
 * the name published is not the beat's own event, its handler published it (`handler`, owned by `handlerPlugin`).
 */
export interface PublishGroup {
  readonly run: RunSequence;
  readonly handler: string | null;
  readonly handlerPlugin: string | null;
  readonly event: string;
  count: number;
}

/** Runs of `child` enqueued within a beat of a run of `parent` (chains.ts). */
export interface ChainGroup {
  readonly parent: RunSequence;
  readonly child: RunSequence;
  count: number;
  /** Chained runs that failed. */
  failed: number;
  /** The chained runs' durations, ms, of those timed. */
  readonly durations: number[];
}

/** Handler-level DataBaton lines touching `key` (`+K ~K -K`), as the line and its run name the writer. */
export interface WriteGroup {
  /** The line's `plugin=`. */
  readonly pluginId: string | null;
  /** The line's sequence run; null when not linked to one (then `sequenceName` is the line's `seq=`). */
  readonly run: RunSequence | null;
  readonly sequenceName: string;
  readonly handler: string;
  readonly key: string;
  count: number;
}

/** Sequence runs in which `writer` added or changed `key` and `reader`, whose source reads it, ran later. */
export interface FlowGroup {
  readonly writerPlugin: string | null;
  readonly writer: string;
  readonly readerPlugin: string | null;
  readonly reader: string;
  readonly key: string;
  runs: number;
}

export interface GraphFacts {
  /** Every distinct way a run names its sequence, in the order of their last run ((file, line) order). */
  readonly sequences: readonly RunSequence[];
  /** The events beats ran for (the EventBus names beats publish; any other bus name is a topic). */
  readonly beatEvents: readonly string[];
  readonly publishes: readonly PublishGroup[];
  readonly chains: readonly ChainGroup[];
  readonly writes: readonly WriteGroup[];
  readonly flows: readonly FlowGroup[];
  /** Publish lines outside every sequence run. */
  readonly unattributedPublishes: number;
  /** DataBaton lines that change keys but name no handler (beat-level). */
  readonly unattributedWrites: number;
}

/**
 * Sequence keys and owners: a sequence is keyed by its id when the log or the code names one, else by its name;
 * its plugin is the code's, else the one its runs name. Later runs override earlier ones, as the log reads.
 */
export class SequenceNames {
  private readonly idByName = new Map<string, string>();
  private readonly pluginOfKey = new Map<string, string>();
  readonly nameById: ReadonlyMap<string, string>;

  constructor(
    code: CodeIndex | undefined,
    sequences: readonly RunSequence[],
    registrations: readonly SequenceRegistration[],
  ) {
    for (const s of code?.sequences ?? []) this.idByName.set(s.name, s.id);
    for (const r of sequences) if (r.sequenceId) this.idByName.set(r.sequenceName, r.sequenceId);
    for (const r of registrations) if (r.sequenceId && r.sequenceName) this.idByName.set(r.sequenceName, r.sequenceId);
    this.nameById = new Map([...this.idByName].map(([name, id]) => [id, name]));
    for (const s of code?.sequences ?? []) if (s.pluginId) this.pluginOfKey.set(s.id, s.pluginId);
    for (const r of sequences) if (r.sequenceId && r.pluginId) this.pluginOfKey.set(r.sequenceId, r.pluginId);
  }

  /** A sequence's id when the log or the code names one, else its name. */
  key(id: string | null, name: string | null): string {
    return id ?? (name ? (this.idByName.get(name) ?? name) : '?');
  }

  plugin(key: string): string | null {
    return this.pluginOfKey.get(key) ?? null;
  }

  /** The plugin owning a handler line: its `plugin=`, else its run's, else its sequence's. */
  owner(plugin: string | null, run: RunSequence | null, sequenceName: string | null): string | null {
    const seq = run ? this.key(run.sequenceId, run.sequenceName) : this.key(null, sequenceName);
    return plugin ?? run?.pluginId ?? this.plugin(seq);
  }
}

/** `plugin\0handler` of each handler whose source reads a key → the keys it reads. */
export function readsByHandler(readers: PayloadReaders): Map<string, Set<string>> {
  const readsOf = new Map<string, Set<string>>();
  for (const [k, list] of readers.byKey)
    for (const r of list) {
      const id = handlerKey(r.handler, r.plugin);
      readsOf.set(id, (readsOf.get(id) ?? new Set()).add(k));
    }
  return readsOf;
}

export function runSequence(r: SequenceRun): RunSequence {
  return { sequenceId: r.sequenceId, sequenceName: r.sequenceName, pluginId: r.pluginId };
}

/** The distinct sequence namings of `runs`, each where its last run stands. */
export function sequencesOf(runs: readonly SequenceRun[]): RunSequence[] {
  const last = new Map<string, RunSequence>();
  for (const r of runs) {
    const s = runSequence(r);
    const id = JSON.stringify([s.sequenceId, s.sequenceName, s.pluginId]);
    last.delete(id);
    last.set(id, s);
  }
  return [...last.values()];
}

/** Runs or beats by the lines they span: the innermost one around a line (the first in order among equal starts). */
function byLines<T extends { readonly sessionId: string; readonly span: SourceSpan }>(items: readonly T[]) {
  return new InnermostIndex(items, {
    group: (i) => i.sessionId,
    start: (i) => i.span.startLine,
    end: (i) => i.span.endLine,
  });
}

/** Handler runs by their sequence run, each list in line order. */
function handlerRunsByRun(handlerRuns: readonly HandlerRun[]): Map<string, HandlerRun[]> {
  const out = new Map<string, HandlerRun[]>();
  for (const h of handlerRuns) {
    if (h.sequenceRunId === null) continue;
    const list = out.get(h.sequenceRunId);
    if (list) list.push(h);
    else out.set(h.sequenceRunId, [h]);
  }
  for (const list of out.values()) list.sort((a, b) => a.line - b.line);
  return out;
}

/** Groups keyed by a JSON id, in first-seen order. */
class Groups<G> {
  private readonly map = new Map<string, G>();
  get(id: unknown[], create: () => G): G {
    const key = JSON.stringify(id);
    let g = this.map.get(key);
    if (!g) {
      g = create();
      this.map.set(key, g);
    }
    return g;
  }
  values(): G[] {
    return [...this.map.values()];
  }
}

const seqId = (s: RunSequence | null) => (s ? [s.sequenceId, s.sequenceName, s.pluginId] : null);

/** Publish lines per publisher (`PublishGroup`), and how many lines no run or beat encloses. */
function publishGroupsOf(data: TraceData, names: SequenceNames): [PublishGroup[], number] {
  // Without publishes, no need to index every run and beat by its lines.
  if (data.publishes.length === 0) return [[], 0];
  const publishes = new Groups<PublishGroup>();
  let unattributedPublishes = 0;
  const innerRun = byLines(data.runs);
  const innerBeat = byLines(data.beats);
  for (const p of data.publishes) {
    const inner = innerRun.find(p.sessionId, p.line);
    const beat = innerBeat.find(p.sessionId, p.line);
    const run = inner
      ? runSequence(inner)
      : beat?.sequenceName
        ? { sequenceId: null, sequenceName: beat.sequenceName, pluginId: beat.pluginId }
        : null;
    if (!run) {
      unattributedPublishes++;
      continue;
    }
    const byHandler = beat !== undefined && beat.event !== p.event && beat.handlers.length === 1;
    const handler = byHandler ? beat.handlers[0]! : null;
    const handlerPlugin = byHandler ? names.owner(beat.pluginId, run, beat.sequenceName) : null;
    const id = [seqId(run), handler, handlerPlugin, p.event];
    publishes.get(id, () => ({ run, handler, handlerPlugin, event: p.event, count: 0 })).count++;
  }
  return [publishes.values(), unattributedPublishes];
}

/** The graph facts of a trace held in memory. */
export function graphFactsOf(data: TraceData, code: CodeIndex | undefined, readers: PayloadReaders): GraphFacts {
  const sequences = sequencesOf(data.runs);
  const names = new SequenceNames(code, sequences, data.registrations);
  const [publishes, unattributedPublishes] = publishGroupsOf(data, names);

  const chains = new Groups<ChainGroup>();
  for (const { parent, child } of findChains(data.runs, data.beats)) {
    const [p, c] = [runSequence(parent), runSequence(child)];
    const g = chains.get([seqId(p), seqId(c)], () => ({ parent: p, child: c, count: 0, failed: 0, durations: [] }));
    g.count++;
    if (child.status === 'failed') g.failed++;
    if (child.durationMs !== null) g.durations.push(child.durationMs);
  }

  // data: every handler-level line's keys; writer → reader once per run where the reader ran after the line.
  const readsOf = readsByHandler(readers);
  // Indexed at the first DataBaton line that needs them: a store without such lines skips indexing its runs and
  // (a million on a large store) handler runs.
  let runById: Map<string, SequenceRun> | undefined;
  let handlerRunsOfRun: Map<string, HandlerRun[]> | undefined;
  const writes = new Groups<WriteGroup>();
  const flows = new Groups<FlowGroup>();
  const flowRuns = new Set<string>();
  let unattributedWrites = 0;
  for (const d of data.batons) {
    const keys = new Set([...d.change.added, ...d.change.updated, ...d.change.removed]);
    if (keys.size === 0) continue;
    if (d.level !== 'handler' || d.handler === null) {
      unattributedWrites++;
      continue;
    }
    runById ??= new Map(data.runs.map((r) => [r.id, r]));
    const found = d.sequenceRunId === null ? undefined : runById.get(d.sequenceRunId);
    const run = found ? runSequence(found) : null;
    for (const key of keys)
      writes.get([d.pluginId, seqId(run), d.sequenceName, d.handler, key], () => ({
        pluginId: d.pluginId,
        run,
        sequenceName: d.sequenceName,
        handler: d.handler!,
        key,
        count: 0,
      })).count++;
    if (d.sequenceRunId === null) continue;
    const writerPlugin = names.owner(d.pluginId, run, d.sequenceName);
    const set = [...d.change.added, ...d.change.updated];
    handlerRunsOfRun ??= handlerRunsByRun(data.handlerRuns);
    for (const h of handlerRunsOfRun.get(d.sequenceRunId) ?? []) {
      if (h.line <= d.line) continue;
      const readerPlugin = names.owner(h.pluginId, run, h.sequenceName);
      const reads = readsOf.get(handlerKey(h.handler, readerPlugin));
      if (!reads) continue;
      for (const key of set) {
        if (!reads.has(key)) continue;
        const id = [writerPlugin, d.handler, readerPlugin, h.handler, key];
        const once = JSON.stringify([...id, d.sequenceRunId]);
        if (flowRuns.has(once)) continue;
        flowRuns.add(once);
        flows.get(id, () => ({
          writerPlugin,
          writer: d.handler!,
          readerPlugin,
          reader: h.handler,
          key,
          runs: 0,
        })).runs++;
      }
    }
  }
  const beatEvents = new Set<string>();
  for (const b of data.beats) if (b.event) beatEvents.add(b.event);
  return {
    sequences,
    beatEvents: [...beatEvents],
    publishes,
    chains: chains.values(),
    writes: writes.values(),
    flows: flows.values(),
    unattributedPublishes,
    unattributedWrites,
  };
}
