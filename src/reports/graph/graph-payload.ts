/**
 * What the graph page's script reads from its JSON island: the report itself. Named here so the browser code
 * (web/graph-client.ts) takes its types from the reports layer, as the timeline's does (timeline-pack.ts).
 */
import type { GraphEdge, GraphNode, GraphReport } from '../../analyses/graph/graph-types.js';

export type GraphPayload = GraphReport;
export type GraphPayloadNode = GraphNode;
export type GraphPayloadEdge = GraphEdge;
