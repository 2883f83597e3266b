/**
 * Collects nodes and edges while the graph analysis walks the trace: one accumulator per (kind, from, to, key,
 * event) edge with its occurrences, durations (ms) and failures, turned into `GraphEdge`s at the end.
 */
import { compareStrings } from '../collections.js';
import { percentilesInPlace, roundMs } from '../percentile.js';
import type { GraphEdge, GraphEdgeKind, GraphNode, GraphNodeKind } from './graph-types.js';

interface EdgeAcc {
  readonly kind: GraphEdgeKind;
  readonly from: string;
  readonly to: string;
  readonly key: string | null;
  readonly event: string | null;
  count: number;
  failed: number;
  /** Durations, ms, in the lists they came in (each group's or chain's, kept as given: never copied into one). */
  readonly durations: ArrayLike<number>[];
  /** Whether failures are meaningful for this edge kind (else errorRate stays null). */
  readonly rated: boolean;
  documented: boolean;
}

/**
 * p95 rounded to 0.01 ms; null without durations. By selection (no sort), in one scratch buffer for all edges: a new
 * typed array per edge (18,000 edges on a million runs) cost 1.3-1.7 s in some runs instead of 60 ms, each one a
 * fresh off-heap buffer V8 accounts for as external memory.
 */
function p95Of(durations: readonly ArrayLike<number>[], scratch: Float64Array): number | null {
  const values = scratch.subarray(0, countOf(durations));
  let at = 0;
  for (const list of durations) for (let i = 0; i < list.length; i++) values[at++] = list[i]!;
  const [p95] = percentilesInPlace(values, [0.95]);
  return p95 === null || p95 === undefined ? null : roundMs(p95);
}

/** Values in all of `lists`. */
function countOf(lists: readonly ArrayLike<number>[]): number {
  let n = 0;
  for (const list of lists) n += list.length;
  return n;
}

export class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, EdgeAcc>();

  /** The node's id, adding it on first use. `key`: what identifies it when not its name (a sequence's id). */
  node(
    kind: GraphNodeKind,
    name: string,
    plugin: string | null = null,
    extra: Partial<GraphNode> = {},
    key: string = name,
  ): string {
    const id = kind === 'handler' ? `handler:${plugin ?? '?'}/${name}` : `${kind}:${key}`;
    const known = this.nodes.get(id);
    if (!known) this.nodes.set(id, { id, kind, name, plugin, file: null, line: null, ...extra });
    else if (extra.file && !known.file) this.nodes.set(id, { ...known, file: extra.file, line: extra.line ?? null });
    return id;
  }

  /** The edge accumulator, created with count 0 on first use. */
  edge(kind: GraphEdgeKind, from: string, to: string, opts: { key?: string; event?: string | null } = {}): EdgeAcc {
    const key = opts.key ?? null;
    const event = opts.event ?? null;
    const id = JSON.stringify([kind, from, to, key, event]);
    let acc = this.edges.get(id);
    if (!acc) {
      acc = {
        kind,
        from,
        to,
        key,
        event,
        count: 0,
        failed: 0,
        durations: [],
        rated: kind === 'runs' || kind === 'chains',
        documented: false,
      };
      this.edges.set(id, acc);
    }
    return acc;
  }

  build(): { nodes: GraphNode[]; edges: GraphEdge[] } {
    const nodes = [...this.nodes.values()].sort((a, b) => compareStrings(a.id, b.id));
    let longest = 0;
    for (const e of this.edges.values()) longest = Math.max(longest, countOf(e.durations));
    const scratch = new Float64Array(longest);
    const edges = [...this.edges.values()]
      .map(
        (e): GraphEdge => ({
          from: e.from,
          to: e.to,
          kind: e.kind,
          key: e.key,
          event: e.event,
          count: e.count,
          p95: p95Of(e.durations, scratch),
          errorRate: e.rated && e.count > 0 ? Math.round((e.failed / e.count) * 10_000) / 10_000 : null,
          documented: e.documented,
        }),
      )
      .sort(
        (a, b) =>
          compareStrings(a.kind, b.kind) ||
          compareStrings(a.from, b.from) ||
          compareStrings(a.to, b.to) ||
          compareStrings(a.key ?? '', b.key ?? '') ||
          compareStrings(a.event ?? '', b.event ?? ''),
      );
    return { nodes, edges };
  }
}
