/**
 * The graph analysis: reads `TraceData` and the code index, returns the nodes and edges of `GraphReport`.
 * Sequence nodes are keyed by sequence id when the log or the code names one, else by name.
 */
import type { CodeIndex, HandlerRun, SequenceRun } from '../../model/index.js';
import { payloadReaders } from '../payload-readers.js';
import type { TraceData } from '../trace-data.js';
import { findChains } from './chains.js';
import { GraphBuilder } from './graph-builder.js';
import { type GraphEdgeKind, type GraphReport, graphEdgeKinds } from './graph-types.js';
import { HandlerEdgeAccumulator, type HandlerEdgeGroup } from './handler-edges.js';

const SEP = '\u0000';

/**
 * `handlerEdges`: the observed runs edges accumulated from the whole store's handler runs (`aggregateStore`), when
 * `data` holds only part of them; by default they come from `data.handlerRuns`.
 */
export function buildGraph(
  data: TraceData,
  code: CodeIndex | undefined,
  handlerEdges?: readonly HandlerEdgeGroup[],
): GraphReport {
  const g = new GraphBuilder();
  const idByName = new Map<string, string>();
  for (const s of code?.sequences ?? []) idByName.set(s.name, s.id);
  for (const r of data.runs) if (r.sequenceId) idByName.set(r.sequenceName, r.sequenceId);
  for (const r of data.registrations) if (r.sequenceId && r.sequenceName) idByName.set(r.sequenceName, r.sequenceId);
  const nameById = new Map([...idByName].map(([name, id]) => [id, name]));
  const pluginOfSequence = new Map<string, string>();
  for (const s of code?.sequences ?? []) if (s.pluginId) pluginOfSequence.set(s.id, s.pluginId);
  for (const r of data.runs) if (r.sequenceId && r.pluginId) pluginOfSequence.set(r.sequenceId, r.pluginId);

  /** A sequence's id when the log or the code names one, else its name. */
  const sequenceKey = (id: string | null, name: string | null): string =>
    id ?? (name ? (idByName.get(name) ?? name) : '?');
  const sequenceNode = (id: string | null, name: string | null): string => {
    const key = sequenceKey(id, name);
    return g.node('sequence', nameById.get(key) ?? name ?? key, pluginOfSequence.get(key) ?? null, {}, key);
  };
  const runNode = (r: SequenceRun) => sequenceNode(r.sequenceId, r.sequenceName);
  // One lookup per (plugin, handler), not per handler run: a store holds millions of runs of a few hundred handlers.
  const handlerIds = new Map<string, string>();
  const handlerNode = (plugin: string | null, handler: string) => {
    const memo = `${plugin ?? ''}${SEP}${handler}`;
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
  const beatEvents = new Set<string>();
  for (const b of data.beats) if (b.event) beatEvents.add(b.event);
  for (const s of code?.sequences ?? [])
    for (const m of s.movements) for (const b of m.beats) if (b.event) beatEvents.add(b.event);
  const busNode = (name: string) => g.node(beatEvents.has(name) ? 'event' : 'topic', name);

  for (const p of new Set([
    ...data.mounts.map((m) => m.pluginId),
    ...data.handlerRuns.map((h) => h.pluginId),
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
  const runById = new Map(data.runs.map((r) => [r.id, r]));
  let groups = handlerEdges;
  if (groups === undefined) {
    const acc = new HandlerEdgeAccumulator();
    for (const h of data.handlerRuns)
      acc.addRun(h, h.sequenceRunId === null ? undefined : runById.get(h.sequenceRunId));
    groups = acc.groupsInOrder();
  }
  for (const h of groups) {
    const seq = h.runKnown ? sequenceKey(h.sequenceId, h.sequenceName) : sequenceKey(null, h.sequenceName);
    const from = h.runKnown ? sequenceNode(h.sequenceId, h.sequenceName) : sequenceNode(null, h.sequenceName);
    // A handler line may omit `plugin=`: the run's plugin, else the sequence's, owns the handler.
    const plugin = h.pluginId ?? pluginOfSequence.get(seq) ?? null;
    const e = g.edge('runs', from, handlerNode(plugin, h.handler), { event: h.event });
    e.count += h.count;
    e.failed += h.failed;
    for (const d of h.durations) e.durations.push(d);
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

  // publishes: the innermost sequence run whose lines enclose the publish line.
  const runsBySession = new Map<string, SequenceRun[]>();
  for (const r of data.runs) {
    const list = runsBySession.get(r.sessionId);
    if (list) list.push(r);
    else runsBySession.set(r.sessionId, [r]);
  }
  let unattributedPublishes = 0;
  for (const p of data.publishes) {
    let inner: SequenceRun | undefined;
    for (const r of runsBySession.get(p.sessionId) ?? [])
      if (r.span.startLine <= p.line && p.line <= r.span.endLine && (!inner || r.span.startLine > inner.span.startLine))
        inner = r;
    if (!inner) {
      unattributedPublishes++;
      continue;
    }
    const e = g.edge('publishes', runNode(inner), busNode(p.event));
    e.count++;
    if (
      inner.sequenceId &&
      code?.sequences.some(
        (s) => s.id === inner.sequenceId && s.movements.some((m) => m.beats.some((b) => b.event === p.event)),
      )
    )
      e.documented = true;
  }

  // chains: run → the run it enqueued (chains.ts).
  for (const { parent, child } of findChains(data.runs, data.beats)) {
    const e = g.edge('chains', runNode(parent), runNode(child));
    e.count++;
    if (child.status === 'failed') e.failed++;
    if (child.durationMs !== null) e.durations.push(child.durationMs);
  }

  // data: writer → key K for every handler-level DataBaton line of A touching K (`+K ~K -K`). Writer → reader B
  // via K when, in one sequence run (a request has one DataBaton), A added or changed K and B ran after that line
  // and B's source reads K (code index): counted once per such run. A key read but never written links its key
  // node to the reader.
  const readers = payloadReaders(code);
  const readsOf = new Map<string, Set<string>>(); // `plugin\0handler` → keys its source reads
  for (const [k, list] of readers.byKey)
    for (const r of list) {
      const id = `${r.plugin ?? ''}${SEP}${r.handler}`;
      readsOf.set(id, (readsOf.get(id) ?? new Set()).add(k));
    }
  const ownerOf = (plugin: string | null, run: SequenceRun | undefined, seqName: string | null) => {
    const seq = run ? sequenceKey(run.sequenceId, run.sequenceName) : sequenceKey(null, seqName);
    return plugin ?? run?.pluginId ?? pluginOfSequence.get(seq) ?? null;
  };
  const handlerRunsOfRun = new Map<string, HandlerRun[]>();
  for (const h of data.handlerRuns) {
    if (h.sequenceRunId === null) continue;
    const list = handlerRunsOfRun.get(h.sequenceRunId);
    if (list) list.push(h);
    else handlerRunsOfRun.set(h.sequenceRunId, [h]);
  }
  for (const list of handlerRunsOfRun.values()) list.sort((a, b) => a.line - b.line);
  const flows = new Set<string>(); // writer, reader, key, sequence run: each counted once
  let unattributedWrites = 0;
  const written = new Set<string>();
  for (const d of data.batons) {
    const keys = new Set([...d.change.added, ...d.change.updated, ...d.change.removed]);
    if (keys.size === 0) continue;
    if (d.level !== 'handler' || d.handler === null) {
      unattributedWrites++;
      continue;
    }
    const run = d.sequenceRunId === null ? undefined : runById.get(d.sequenceRunId);
    const from = handlerNode(ownerOf(d.pluginId, run, d.sequenceName), d.handler);
    for (const k of keys) {
      written.add(k);
      g.edge('data', from, g.node('key', k), { key: k }).count++;
    }
    if (d.sequenceRunId === null) continue;
    const set = [...d.change.added, ...d.change.updated];
    for (const h of handlerRunsOfRun.get(d.sequenceRunId) ?? []) {
      if (h.line <= d.line) continue;
      const plugin = ownerOf(h.pluginId, run, h.sequenceName);
      const reads = readsOf.get(`${plugin ?? ''}${SEP}${h.handler}`);
      if (!reads) continue;
      const to = handlerNode(plugin, h.handler);
      for (const k of set) {
        if (!reads.has(k)) continue;
        const flow = JSON.stringify([from, to, k, d.sequenceRunId]);
        if (flows.has(flow)) continue;
        flows.add(flow);
        const e = g.edge('data', from, to, { key: k });
        e.count++;
        e.documented = true;
      }
    }
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
  if (data.batons.length === 0 && data.beats.length > 0)
    notes.push('no DataBaton diffs loaded (large stores load them for the timeline only): no data edges');
  return {
    codeIndex: code !== undefined,
    summary: {
      nodes: nodes.length,
      edges: edges.length,
      byEdgeKind,
      undocumented: code ? edges.filter((e) => checkable(e.kind) && e.count > 0 && !e.documented).length : 0,
      neverSeen: edges.filter((e) => e.documented && e.count === 0).length,
      unattributedPublishes,
      unattributedWrites,
    },
    nodes,
    edges,
    notes,
  };
}
