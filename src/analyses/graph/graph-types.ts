/**
 * The dependency graph of an app as it ran: nodes (plugins, sequences, beat events, handlers, EventBus topics,
 * DataBaton keys) and edges with their production numbers. JSON schema `beatscope/graph` v1 (docs/reports.md).
 */

export type GraphNodeKind = 'plugin' | 'sequence' | 'event' | 'handler' | 'topic' | 'key';
export const graphNodeKinds: readonly GraphNodeKind[] = ['plugin', 'sequence', 'event', 'handler', 'topic', 'key'];

export type GraphEdgeKind = 'runs' | 'publishes' | 'subscribes' | 'chains' | 'data';
export const graphEdgeKinds: readonly GraphEdgeKind[] = ['runs', 'publishes', 'subscribes', 'chains', 'data'];

export interface GraphNode {
  /** `<kind>:<name>`; handlers `handler:<plugin>/<handler>` (a handler name is unique per plugin only). */
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly name: string;
  /** The plugin a sequence or handler belongs to; null for topics, events, keys and unknown owners. */
  readonly plugin: string | null;
  /** Handlers: where the code index found the function. */
  readonly file: string | null;
  readonly line: number | null;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
  /** `data` edges: the DataBaton key written. Null for the other kinds. */
  readonly key: string | null;
  /** `runs` edges: the beat event the handler ran for. */
  readonly event: string | null;
  /** Observed occurrences in the logs (0: defined in the code, never seen). */
  readonly count: number;
  /** 95th percentile duration, ms (`runs`: handler time; `chains`: the chained run's time); null when untimed. */
  readonly p95: number | null;
  /** Share 0..1 of failed occurrences (`runs`: handler errors; `chains`: failed chained runs); null otherwise. */
  readonly errorRate: number | null;
  /** Backed by the code index: a sequence JSON beat, a topic route or a subscribed beat event. */
  readonly documented: boolean;
}

export interface GraphSummary {
  readonly nodes: number;
  readonly edges: number;
  readonly byEdgeKind: Readonly<Record<GraphEdgeKind, number>>;
  /** Edges seen in the logs that the code index does not document (only counted with a code index). */
  readonly undocumented: number;
  /** Documented edges never seen in the logs (defined routes that did not run). */
  readonly neverSeen: number;
  /** EventBus publish lines outside any sequence run: no publisher to draw. */
  readonly unattributedPublishes: number;
  /** DataBaton change lines that name no handler (beat-level): no writer to draw. */
  readonly unattributedWrites: number;
}

export interface GraphReport {
  readonly codeIndex: boolean;
  readonly summary: GraphSummary;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly notes: readonly string[];
}
