/** Terminal reporter of the graph: counts by edge kind, then each kind's busiest edges. */
import type { GraphEdge, GraphReport } from '../../analyses/graph/graph-types.js';
import { graphEdgeKinds } from '../../analyses/graph/graph-types.js';
import { count, pct } from '../report-format.js';
import { colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { textTable } from '../text-table.js';

/** A node id without its `<kind>:` prefix, for tables. */
export const nodeLabel = (id: string): string => id.slice(id.indexOf(':') + 1);

export function edgesByCount(edges: readonly GraphEdge[]): GraphEdge[] {
  return [...edges].sort((a, b) => b.count - a.count);
}

export function renderGraphText(report: GraphReport, options: RenderOptions = {}): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const out = [
    c.bold('Dependency graph'),
    `  ${count(s.nodes)} nodes, ${count(s.edges)} edges · ${graphEdgeKinds.map((k) => `${k} ${s.byEdgeKind[k]}`).join(', ')}`,
    `  ${count(s.undocumented)} observed edges undocumented, ${count(s.neverSeen)} documented edges never seen`,
  ];
  for (const kind of graphEdgeKinds) {
    const edges = edgesByCount(report.edges.filter((e) => e.kind === kind));
    if (edges.length === 0) continue;
    out.push(
      '',
      c.bold(`${kind}${edges.length > limit ? ` (busiest ${limit} of ${edges.length})` : ''}`),
      textTable(
        [
          { header: 'from' },
          { header: 'to' },
          { header: kind === 'data' ? 'key' : 'event' },
          { header: 'count', align: 'right' },
          { header: 'p95 ms', align: 'right' },
          { header: 'errors', align: 'right' },
          { header: 'documented' },
        ],
        edges
          .slice(0, limit)
          .map((e) => [
            nodeLabel(e.from),
            nodeLabel(e.to),
            e.key ?? e.event ?? '',
            count(e.count),
            e.p95 === null ? '—' : String(e.p95),
            e.errorRate === null ? '—' : pct(e.errorRate),
            e.documented ? 'yes' : c.yellow('no'),
          ]),
        c.dim,
      ),
    );
  }
  out.push(...report.notes.map((n) => c.yellow(`  note: ${n}`)), '');
  return out.join('\n');
}
