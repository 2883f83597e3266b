/**
 * The graph page: the interactive ECharts graph (web/graph-client.ts) over the report as a JSON island, with
 * plugin and edge-kind filters and a details panel, then the busiest edges of each kind as plain tables (readable
 * without script, and escaped like every page).
 */
import type { GraphReport } from '../../analyses/graph/graph-types.js';
import { graphEdgeKinds } from '../../analyses/graph/graph-types.js';
import { escapeHtml, formatCount, jsonForScript, type PageContext, renderPage } from '../html-layout.js';
import { webClientSource } from '../web-client-source.js';
import { edgesByCount, nodeLabel } from './graph-text.js';

const ROWS_PER_KIND = 100;

const CSS = `
.graph-wrap{display:grid;grid-template-columns:1fr 320px;gap:12px}
#graph-canvas{height:640px;border:1px solid #d9e2ec;border-radius:6px;background:#fff}
#graph-details{font-size:13px;overflow:auto;max-height:640px;overflow-wrap:anywhere}
#graph-details code{white-space:normal;word-break:break-all}
.graph-controls{display:flex;gap:16px;align-items:center;flex-wrap:wrap;margin:8px 0}
@media (max-width:700px){.graph-wrap{grid-template-columns:1fr}#graph-canvas{height:420px}}
`;

function edgeTables(report: GraphReport): string {
  return graphEdgeKinds
    .map((kind) => {
      const edges = edgesByCount(report.edges.filter((e) => e.kind === kind));
      if (edges.length === 0) return '';
      const rows = edges
        .slice(0, ROWS_PER_KIND)
        .map(
          (
            e,
          ) => `<tr><td class="mono">${escapeHtml(nodeLabel(e.from))}</td><td class="mono">${escapeHtml(nodeLabel(e.to))}</td>
<td class="mono">${escapeHtml(e.key ?? e.event ?? '')}</td><td class="num">${escapeHtml(formatCount(e.count))}</td>
<td class="num">${e.p95 === null ? '—' : escapeHtml(e.p95)}</td><td class="num">${e.errorRate === null ? '—' : escapeHtml(`${(e.errorRate * 100).toFixed(1)}%`)}</td>
<td>${e.documented ? 'yes' : '<span class="muted">no</span>'}</td></tr>`,
        )
        .join('');
      const more =
        edges.length > ROWS_PER_KIND
          ? `<p class="muted">… ${edges.length - ROWS_PER_KIND} more (see graph.json)</p>`
          : '';
      return `<details class="panel" id="edges-${kind}"><summary><strong>${kind}</strong> <span class="pill">${formatCount(edges.length)}</span></summary>
<table><thead><tr><th>from</th><th>to</th><th>${kind === 'data' ? 'key' : 'event'}</th><th class="num">count</th><th class="num">p95 ms</th><th class="num">errors</th><th>documented</th></tr></thead>
<tbody>${rows}</tbody></table>${more}</details>`;
    })
    .join('\n');
}

export async function renderGraphPage(ctx: PageContext, report: GraphReport): Promise<string> {
  const s = report.summary;
  const kinds = graphEdgeKinds
    .map((k) => `<label><input type="checkbox" data-edge-kind="${k}" checked> ${k} (${s.byEdgeKind[k]})</label>`)
    .join(' ');
  const body = `<h1>Dependency graph</h1>
<p>${formatCount(s.nodes)} nodes, ${formatCount(s.edges)} edges; ${formatCount(s.undocumented)} observed edges the code does not document, ${formatCount(s.neverSeen)} documented edges never seen. Dashed: undocumented.</p>
<div class="graph-controls"><label>plugin <select id="graph-plugin"><option value="">all</option></select></label> <label>sequence <select id="graph-sequence"><option value="">all</option></select></label> ${kinds} <span id="graph-shown" class="muted"></span></div>
<div class="graph-wrap"><div id="graph-canvas"></div><aside id="graph-details" class="panel"><p class="muted">Click a node for its edges and numbers.</p></aside></div>
${edgeTables(report)}
${report.notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('\n')}
<script type="application/json" id="graph-data">${jsonForScript(report)}</script>`;
  return renderPage(ctx, {
    id: 'graph',
    title: 'Graph',
    body,
    css: CSS,
    scripts: [await webClientSource('graph-client')],
  });
}
