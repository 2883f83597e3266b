/**
 * The graph analysis: reads `TraceData` and the code index, returns the nodes and edges of `GraphReport`.
 * Sequence nodes are keyed by sequence id when the log or the code names one, else by name.
 */
import type { CodeIndex, SequenceRun } from '../../model/index.js';
import { handlerKey } from '../handler-lookup.js';
import { payloadReaders } from '../payload-readers.js';
import type { TraceData } from '../trace-data.js';
import { GraphBuilder } from './graph-builder.js';
import { type GraphFacts, graphFactsOf, type RunSequence, SequenceNames } from './graph-facts.js';
import { type GraphEdgeKind, type GraphReport, graphEdgeKinds } from './graph-types.js';
import { HandlerEdgeAccumulator, type HandlerEdgeGroup } from './handler-edges.js';

const SEP = '\u0000';

/** What a store larger than the timeline's window adds to its part of the trace (`data`): computed over all of it. */
export interface WholeStoreGraph {
  /** The observed runs edges, accumulated from every handler run (`aggregateStore`). */
  readonly handlerEdges: readonly HandlerEdgeGroup[];
  /** Publishes, chains and data edges' facts, computed in the store (graph-facts-sql.ts). */
  readonly facts?: GraphFacts;
}

/** `whole`: the store's handler-run edges and graph facts when `data` holds only part of it. */
export function buildGraph(data: TraceData, code: CodeIndex | undefined, whole?: WholeStoreGraph): GraphReport {
  const g = new GraphBuilder();
  const readers = payloadReaders(code);
  const facts = whole?.facts ?? graphFactsOf(data, code, readers);
  const names = new SequenceNames(code, facts.sequences, data.registrations);
  const sequenceKey = (id: string | null, name: string | null) => names.key(id, name);
  const sequenceNode = (id: string | null, name: string | null): string => {
    const key = sequenceKey(id, name);
    return g.node('sequence', names.nameById.get(key) ?? name ?? key, names.plugin(key), {}, key);
  };
  const runNode = (r: RunSequence) => sequenceNode(r.sequenceId, r.sequenceName);
  // One lookup per (plugin, handler), not per handler run: a store holds millions of runs of a few hundred handlers.
  const handlerIds = new Map<string, string>();
  const handlerNode = (plugin: string | null, handler: string) => {
    const memo = handlerKey(handler, plugin);
    const known = handlerIds.get(memo);
    if (known) return known;
    const def = code?.handlers.find((h) => h.handler === handler && (h.pluginId === plugin || plugin === null));
    const id = g.node('handler', handler, plugin, {
      file: def?.location?.file ?? null,
      line: def?.location?.line ?? null,
    });
    handlerIds.set(memo, id);
    return id;
  };

  // Beat events are the EventBus names beats publish; any other bus name is a topic.
  const beatEvents = new Set(facts.beatEvents);
  for (const s of code?.sequences ?? [])
    for (const m of s.movements) for (const b of m.beats) if (b.event) beatEvents.add(b.event);
  const busNode = (name: string) => g.node(beatEvents.has(name) ? 'event' : 'topic', name);

  let groups = whole?.handlerEdges;
  if (groups === undefined) {
    const runById = new Map(data.runs.map((r: SequenceRun) => [r.id, r]));
    const acc = new HandlerEdgeAccumulator(data.handlerRuns.length);
    for (const h of data.handlerRuns)
      acc.addRun(h, h.sequenceRunId === null ? undefined : runById.get(h.sequenceRunId));
    groups = acc.groupsInOrder();
  }
  for (const p of new Set([
    ...data.mounts.map((m) => m.pluginId),
    ...groups.map((h) => h.pluginId),
    ...(code?.sequences ?? []).map((s) => s.pluginId),
  ]))
    if (p) g.node('plugin', p);

  // runs: sequence → handler, per beat event; defined ones from the sequence JSON, observed from handler runs.
  const defined = new Set<string>();
  for (const s of code?.sequences ?? [])
    for (const m of s.movements)
      for (const b of m.beats) {
        if (!b.handler) continue;
        defined.add([s.id, b.handler, b.event ?? ''].join(SEP));
        const e = g.edge('runs', sequenceNode(s.id, s.name), handlerNode(s.pluginId, b.handler), { event: b.event });
        e.documented = true;
        if (b.event) g.edge('subscribes', busNode(b.event), sequenceNode(s.id, s.name)).documented = true;
      }
  for (const h of groups) {
    const seq = h.runKnown ? sequenceKey(h.sequenceId, h.sequenceName) : sequenceKey(null, h.sequenceName);
    const from = h.runKnown ? sequenceNode(h.sequenceId, h.sequenceName) : sequenceNode(null, h.sequenceName);
    // A handler line may omit `plugin=`: the run's plugin, else the sequence's, owns the handler.
    const plugin = h.pluginId ?? names.plugin(seq);
    const e = g.edge('runs', from, handlerNode(plugin, h.handler), { event: h.event });
    e.count += h.count;
    e.failed += h.failed;
    e.durations.push(h.durations);
    if (defined.has([seq, h.handler, h.event].join(SEP))) e.documented = true;
  }

  // subscribes: bus name → subscribing sequence, from the EventBus subscription lines and the topic routes.
  for (const s of data.subscriptions) {
    // The `:cleanup` subscription every mount adds for `<plugin>:sequence:completed` is plumbing, not a route.
    if (s.cleanup || !s.sequenceId) continue;
    g.edge('subscribes', busNode(s.event), sequenceNode(s.sequenceId, null)).count++;
  }
  for (const t of code?.topics ?? [])
    g.edge('subscribes', busNode(t.topic), sequenceNode(t.sequenceId, null)).documented = true;

  // publishes: publisher → bus name (graph-facts.ts): the enclosing run's sequence, or the handler of its beat
  // when that handler published a name other than the beat's own event.
  for (const p of facts.publishes) {
    const from = p.handler === null ? runNode(p.run) : handlerNode(p.handlerPlugin, p.handler);
    const e = g.edge('publishes', from, busNode(p.event));
    e.count += p.count;
    const id = p.run.sequenceId;
    if (
      id &&
      code?.sequences.some((s) => s.id === id && s.movements.some((m) => m.beats.some((b) => b.event === p.event)))
    )
      e.documented = true;
  }

  // chains: run → the run it enqueued (chains.ts).
  for (const c of facts.chains) {
    const e = g.edge('chains', runNode(c.parent), runNode(c.child));
    e.count += c.count;
    e.failed += c.failed;
    e.durations.push(c.durations);
  }

  // data: writer → key K for every handler-level DataBaton line of A touching K (`+K ~K -K`). Writer → reader B
  // via K when, in one sequence run (a request has one DataBaton), A added or changed K and B ran after that line
  // and B's source reads K (code index): counted once per such run. A key read but never written links its key
  // node to the reader.
  const written = new Set<string>();
  for (const w of facts.writes) {
    written.add(w.key);
    const from = handlerNode(names.owner(w.pluginId, w.run, w.sequenceName), w.handler);
    g.edge('data', from, g.node('key', w.key), { key: w.key }).count += w.count;
  }
  for (const f of facts.flows) {
    const e = g.edge('data', handlerNode(f.writerPlugin, f.writer), handlerNode(f.readerPlugin, f.reader), {
      key: f.key,
    });
    e.count += f.runs;
    e.documented = true;
  }
  for (const [k, list] of readers.byKey) {
    if (written.has(k)) continue;
    for (const r of list)
      g.edge('data', g.node('key', k), handlerNode(r.plugin, r.handler), { key: k }).documented = true;
  }
  const { nodes, edges } = g.build();
  const byEdgeKind = Object.fromEntries(graphEdgeKinds.map((k) => [k, 0])) as Record<GraphEdgeKind, number>;
  for (const e of edges) byEdgeKind[e.kind]++;
  // Only runs, subscribes and publishes can be documented by a code index today.
  const checkable = (k: GraphEdgeKind) => k === 'runs' || k === 'subscribes' || k === 'publishes';
  const notes: string[] = [];
  if (!code) notes.push('no code index: no defined routes, every edge is marked undocumented');
  if (code && !readers.indexed)
    notes.push(
      'the stored code index predates reading handler source for keys: re-run `beatscope index` for reader edges',
    );
  else if (!code) notes.push('no code index: data edges end at the key they write (readers come from handler source)');
  if (readers.unknown.length > 0)
    notes.push(`${readers.unknown.length} handlers read the payload dynamically: reads they make are not drawn`);
  if (!whole?.facts && data.batons.length === 0 && data.beats.length > 0)
    notes.push('no DataBaton diffs loaded (large stores load them for the timeline only): no data edges');
  return {
    codeIndex: code !== undefined,
    summary: {
      nodes: nodes.length,
      edges: edges.length,
      byEdgeKind,
      undocumented: code ? edges.filter((e) => checkable(e.kind) && e.count > 0 && !e.documented).length : 0,
      neverSeen: edges.filter((e) => e.documented && e.count === 0).length,
      unattributedPublishes: facts.unattributedPublishes,
      unattributedWrites: facts.unattributedWrites,
    },
    nodes,
    edges,
    notes,
  };
}
