/**
 * Documentation of each sequence as production runs it: the beats in the order the most frequent path of its
 * completed runs played them, each beat's handler with its `file:line`, production times and error rate, the
 * DataBaton keys it wrote (diff lines) and reads (handler source), the sequences it started, drift against
 * the definition and the defined beats never seen. Every number carries the sample it stands on. Deterministic:
 * the same store and code index give the same documents (sorted everywhere, no clock).
 */
import type { BatonDiff, CodeIndex, HandlerRun, SequenceDefinition, SequenceRun } from '../../model/index.js';
import { compareStrings } from '../collections.js';
import type { SequenceDrift } from '../flow-types.js';
import { findChains } from '../graph/chains.js';
import { type TimingStats, timingStats } from '../percentile.js';
import type { TraceData } from '../trace-data.js';
import type { BeatDoc, DocsReport, SequenceDoc, SequenceLink } from './docs-types.js';

const SEP = '\u0000';

interface Group {
  readonly key: string;
  readonly id: string | null;
  readonly name: string;
  readonly plugin: string | null;
  readonly runs: SequenceRun[];
  readonly definition: SequenceDefinition | undefined;
}

/** `drift`: the flow report's drift entries (by sequence id), so docs and flows agree. */
export function buildSequenceDocs(
  data: TraceData,
  code: CodeIndex | undefined,
  drift: readonly SequenceDrift[] = [],
): DocsReport {
  const definitions = new Map<string, SequenceDefinition>();
  const idOfName = new Map<string, string>();
  for (const s of code?.sequences ?? []) {
    definitions.set(s.id, s);
    idOfName.set(s.name, s.id);
  }
  const groups = new Map<string, Group>();
  const groupOf = (id: string | null, name: string, plugin: string | null): Group => {
    const seqId = id ?? idOfName.get(name) ?? null;
    const key = seqId ?? `name:${name}`;
    let g = groups.get(key);
    if (!g) {
      const definition = seqId === null ? undefined : definitions.get(seqId);
      g = {
        key,
        id: seqId,
        name: definition?.name ?? name,
        plugin: plugin ?? definition?.pluginId ?? null,
        runs: [],
        definition,
      };
      groups.set(key, g);
    }
    return g;
  };
  for (const s of code?.sequences ?? []) groupOf(s.id, s.name, s.pluginId);
  const groupOfRun = new Map<string, Group>();
  for (const r of data.runs) {
    const g = groupOf(r.sequenceId, r.sequenceName, r.pluginId);
    g.runs.push(r);
    groupOfRun.set(r.id, g);
  }

  const beatsByRun = new Map<string, TraceData['beats'][number][]>();
  for (const b of data.beats) if (b.sequenceRunId) push(beatsByRun, b.sequenceRunId, b);
  const handlerRunsByGroupEvent = new Map<string, HandlerRun[]>();
  for (const h of data.handlerRuns) {
    const g = h.sequenceRunId === null ? undefined : groupOfRun.get(h.sequenceRunId);
    if (g) push(handlerRunsByGroupEvent, `${g.key}${SEP}${h.event}`, h);
  }
  const writesByGroupEvent = new Map<string, BatonDiff[]>();
  for (const d of data.batons) {
    if (d.level !== 'handler' || d.sequenceRunId === null) continue;
    const g = groupOfRun.get(d.sequenceRunId);
    if (g) push(writesByGroupEvent, `${g.key}${SEP}${d.event}`, d);
  }
  const chainsFrom = new Map<string, Map<string, { link: SequenceLink; count: number }>>();
  const chainsTo = new Map<string, Map<string, { link: SequenceLink; count: number }>>();
  for (const { parent, child } of findChains(data.runs, data.beats)) {
    const p = groupOfRun.get(parent.id)!;
    const c = groupOfRun.get(child.id)!;
    countLink(chainsFrom, p.key, c);
    countLink(chainsTo, c.key, p);
  }
  const driftOf = new Map(drift.map((d) => [d.sequenceId, d]));

  const sequences: SequenceDoc[] = [...groups.values()]
    .sort((a, b) => compareStrings(a.id ?? a.name, b.id ?? b.name))
    .map((g) => {
      const path = mostFrequentPath(g.runs, beatsByRun);
      const defined = definedBeats(g.definition);
      const beatDoc = (event: string, seenRuns: number): BeatDoc => {
        const def = defined.find((d) => d.event === event);
        const runs = handlerRunsByGroupEvent.get(`${g.key}${SEP}${event}`) ?? [];
        const handler = mostFrequent(runs.map((h) => h.handler)) ?? def?.handler ?? null;
        const ofHandler = runs.filter((h) => h.handler === handler);
        const plugin = mostFrequent(ofHandler.map((h) => h.pluginId ?? '')) || g.plugin;
        const handlerDef =
          handler === null
            ? undefined
            : code?.handlers.find((h) => h.handler === handler && (h.pluginId === plugin || plugin === null));
        const written = new Set<string>();
        const removed = new Set<string>();
        for (const d of writesByGroupEvent.get(`${g.key}${SEP}${event}`) ?? []) {
          if (d.handler !== handler) continue;
          for (const k of [...d.change.added, ...d.change.updated]) written.add(k);
          for (const k of d.change.removed) removed.add(k);
        }
        const timed = ofHandler.flatMap((h) => (h.durationMs === null ? [] : [h.durationMs]));
        return {
          movement: def?.movement ?? null,
          beat: def?.beat ?? null,
          event,
          title: def?.title ?? null,
          handler,
          plugin,
          file: handlerDef?.location?.file ?? null,
          line: handlerDef?.location?.line ?? null,
          defined: def !== undefined,
          seenInRuns: seenRuns,
          handlerRuns: ofHandler.length,
          time: stats(timingStats(timed)),
          errorRate:
            ofHandler.length === 0 ? null : ofHandler.filter((h) => h.status === 'error').length / ofHandler.length,
          keysWritten: [...written].sort(compareStrings),
          keysRemoved: [...removed].sort(compareStrings),
          keysRead: [...new Set(handlerDef?.payload?.reads.map((r) => r.key) ?? [])].sort(compareStrings),
        };
      };
      // Runs of the sequence in which each beat event ran ('' for beats without one).
      const runsWith = new Map<string, number>();
      for (const r of g.runs)
        for (const e of new Set((beatsByRun.get(r.id) ?? []).map((b) => b.event ?? '')))
          runsWith.set(e, (runsWith.get(e) ?? 0) + 1);
      const beats = path.events.map((e) => beatDoc(e, runsWith.get(e) ?? 0));
      const seen = new Set(path.events);
      const allSeen = new Set(runsWith.keys());
      const neverSeen = defined
        .filter((d) => d.event !== null && !allSeen.has(d.event))
        .map((d) => beatDoc(d.event!, 0));
      const offPath = [...allSeen]
        .filter((e) => e !== '' && !seen.has(e))
        .sort(compareStrings)
        .map((e) => beatDoc(e, runsWith.get(e) ?? 0));
      const completed = g.runs.filter((r) => r.status === 'completed');
      const sessions = new Set(g.runs.map((r) => r.sessionId));
      const links = (m: Map<string, Map<string, { link: SequenceLink; count: number }>>) =>
        [...(m.get(g.key)?.values() ?? [])]
          .map(({ link, count }) => ({ ...link, count }))
          .sort((a, b) => b.count - a.count || compareStrings(a.id ?? a.name, b.id ?? b.name));
      return {
        id: g.id,
        name: g.name,
        plugin: g.plugin,
        description: g.definition?.description ?? null,
        source: g.definition ? { file: g.definition.source.file, line: g.definition.source.line } : null,
        runs: g.runs.length,
        completedRuns: completed.length,
        failedRuns: g.runs.filter((r) => r.status === 'failed').length,
        sessions: sessions.size,
        pathRuns: path.runs,
        time: stats(timingStats(completed.flatMap((r) => (r.durationMs === null ? [] : [r.durationMs])))),
        beats,
        neverSeen,
        offPath,
        starts: links(chainsFrom),
        startedBy: links(chainsTo),
        drift: g.id === null ? null : (driftOf.get(g.id) ?? null),
      } satisfies SequenceDoc;
    });
  const notes: string[] = [];
  if (!code) notes.push('no code index: no definitions, handler locations or keys read (run `beatscope index`)');
  if (data.batons.length === 0 && data.beats.length > 0)
    notes.push('no DataBaton diffs loaded (large stores load them for the timeline only): keys written unknown');
  return { sequences, notes };
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

function countLink(m: Map<string, Map<string, { link: SequenceLink; count: number }>>, from: string, to: Group): void {
  const inner = m.get(from) ?? new Map<string, { link: SequenceLink; count: number }>();
  m.set(from, inner);
  const e = inner.get(to.key) ?? { link: { id: to.id, name: to.name }, count: 0 };
  e.count++;
  inner.set(to.key, e);
}

/** The most frequent value; ties go to the one first in string order, so the choice is deterministic. */
function mostFrequent(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts)
    if (best === null || n > counts.get(best)! || (n === counts.get(best)! && compareStrings(v, best) < 0)) best = v;
  return best;
}

/** Beat events of the completed runs' most frequent beat order (all runs when none completed). */
function mostFrequentPath(
  runs: readonly SequenceRun[],
  beatsByRun: ReadonlyMap<string, readonly TraceData['beats'][number][]>,
): { events: string[]; runs: number } {
  const completed = runs.filter((r) => r.status === 'completed');
  const paths = (completed.length > 0 ? completed : runs).map((r) =>
    [...(beatsByRun.get(r.id) ?? [])]
      .sort((a, b) => a.span.startLine - b.span.startLine)
      .flatMap((b) => (b.event ? [b.event] : []))
      .join(SEP),
  );
  const best = mostFrequent(paths);
  if (best === null || best === '') return { events: [], runs: 0 };
  return { events: best.split(SEP), runs: paths.filter((p) => p === best).length };
}

interface DefinedBeat {
  readonly movement: string;
  readonly beat: number;
  readonly event: string | null;
  readonly title: string | null;
  readonly handler: string | null;
}

function definedBeats(def: SequenceDefinition | undefined): DefinedBeat[] {
  return (def?.movements ?? []).flatMap((m) =>
    m.beats.map((b) => ({ movement: m.name, beat: b.beat, event: b.event, title: b.title, handler: b.handler })),
  );
}

const stats = (t: TimingStats) => ({ n: t.count, p50: t.p50, p95: t.p95 });
