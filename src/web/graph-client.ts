/**
 * Entry of the graph page's script (bundled to one IIFE with ECharts' graph series and inlined by
 * reports/web-client-source.ts). Reads the JSON island `#graph-data` (a `GraphReport`), draws a force
 * layout with zoom and pan, filters by plugin and edge kind, and shows a clicked node's numbers and file:line.
 * Above AGGREGATE_ABOVE nodes the unfiltered view folds nodes into their plugin (or kind); clicking a folded
 * node expands it (filters to that plugin). All log text is set with textContent or passed to ECharts as data.
 */
import { GraphChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type {
  GraphPayloadEdge as GraphEdge,
  GraphPayloadNode as GraphNode,
  GraphPayload as GraphReport,
} from '../reports/graph/graph-payload.js';

echarts.use([GraphChart, TooltipComponent, LegendComponent, CanvasRenderer]);

declare global {
  interface Window {
    /** What is drawn, and `details(id)` (what a click on a node does), for tests. */
    __graph?: { nodes: number; edges: number; aggregated: boolean; details: (id: string) => void };
  }
}

const AGGREGATE_ABOVE = 150;
const KINDS = ['plugin', 'sequence', 'event', 'handler', 'topic', 'key'] as const;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function el(tag: string, text?: string, cls?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function start(): void {
  const report = JSON.parse($('graph-data').textContent ?? '{}') as GraphReport;
  const chart = echarts.init($('graph-canvas'));
  const pluginSel = $<HTMLSelectElement>('graph-plugin');
  const plugins = [...new Set(report.nodes.map((n) => n.plugin).filter((p): p is string => p !== null))].sort();
  for (const p of plugins) {
    const o = el('option', p) as HTMLOptionElement;
    o.value = p;
    pluginSel.append(o);
  }
  const sequenceSel = $<HTMLSelectElement>('graph-sequence');
  for (const n of report.nodes.filter((x) => x.kind === 'sequence').sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const o = el('option', n.name) as HTMLOptionElement;
    o.value = n.id;
    sequenceSel.append(o);
  }
  const kindBoxes = Array.from(document.querySelectorAll<HTMLInputElement>('input[data-edge-kind]'));
  const byId = new Map(report.nodes.map((n) => [n.id, n]));

  const render = () => {
    const plugin = pluginSel.value;
    const kinds = new Set(kindBoxes.filter((b) => b.checked).map((b) => b.dataset['edgeKind']));
    let edges = report.edges.filter((e) => kinds.has(e.kind));
    if (plugin) {
      // A plugin's nodes and their direct neighbours.
      const own = new Set(report.nodes.filter((n) => n.plugin === plugin).map((n) => n.id));
      edges = edges.filter((e) => own.has(e.from) || own.has(e.to));
    }
    const sequence = sequenceSel.value;
    if (sequence) {
      // A sequence, the handlers it runs, and their direct neighbours (topics, keys, chained sequences).
      const own = new Set([
        sequence,
        ...report.edges.filter((e) => e.kind === 'runs' && e.from === sequence).map((e) => e.to),
      ]);
      edges = edges.filter((e) => own.has(e.from) || own.has(e.to));
    }
    const used = new Set(edges.flatMap((e) => [e.from, e.to]));
    let nodes = report.nodes.filter(
      (n) => used.has(n.id) || (sequence ? n.id === sequence : plugin ? n.plugin === plugin : true),
    );
    const aggregated = !plugin && !sequence && nodes.length > AGGREGATE_ABOVE;
    const group = (n: GraphNode) => (n.plugin ? `plugin:${n.plugin}` : `group:${n.kind}`);
    let shownEdges: { from: string; to: string; kind: string; count: number }[] = edges;
    if (aggregated) {
      const folded = new Map<string, GraphNode>();
      for (const n of nodes) {
        const id = group(n);
        if (!folded.has(id))
          folded.set(id, {
            id,
            kind: n.plugin ? 'plugin' : n.kind,
            name: n.plugin ?? `${n.kind}s`,
            plugin: n.plugin,
            file: null,
            line: null,
          });
      }
      nodes = [...folded.values()];
      const agg = new Map<string, { from: string; to: string; kind: string; count: number }>();
      for (const e of edges) {
        const from = group(byId.get(e.from)!);
        const to = group(byId.get(e.to)!);
        if (from === to) continue;
        const k = `${from}\u0000${to}\u0000${e.kind}`;
        const a = agg.get(k) ?? { from, to, kind: e.kind, count: 0 };
        a.count += e.count;
        agg.set(k, a);
      }
      shownEdges = [...agg.values()];
    }
    window.__graph = {
      nodes: nodes.length,
      edges: shownEdges.length,
      aggregated,
      details: (id) => showDetails(report, byId.get(id)),
    };
    $('graph-shown').textContent =
      `${nodes.length} nodes, ${shownEdges.length} edges${aggregated ? ' (folded by plugin: click one to expand)' : ''}`;
    chart.setOption(
      {
        tooltip: {
          formatter: (p: { dataType: string; data: { name?: string; kind?: string; count?: number } }) =>
            p.dataType === 'edge' ? `${p.data.kind} · ${p.data.count}` : `${p.data.kind}: ${p.data.name}`,
        },
        legend: [{ data: [...KINDS] }],
        series: [
          {
            type: 'graph',
            layout: 'force',
            roam: true,
            draggable: true,
            // Spread over the canvas: stronger repulsion than ECharts' default, longer edges, weak pull to the centre.
            force: { repulsion: 320, edgeLength: [60, 150], gravity: 0.06 },
            categories: KINDS.map((k) => ({ name: k })),
            label: { show: nodes.length <= 80, position: 'right', fontSize: 10 },
            edgeSymbol: ['none', 'arrow'],
            edgeSymbolSize: 6,
            lineStyle: { opacity: 0.6, curveness: 0.1 },
            data: nodes.map((n) => ({
              id: n.id,
              name: n.name,
              kind: n.kind,
              category: KINDS.indexOf(n.kind),
              symbolSize: n.kind === 'plugin' ? 18 : 10,
            })),
            links: shownEdges.map((e) => ({ source: e.from, target: e.to, kind: e.kind, count: e.count })),
          },
        ],
      },
      { notMerge: true },
    );
  };

  chart.on('click', (p) => {
    const data = p.data as { id?: string } | undefined;
    if (p.dataType !== 'node' || !data?.id) return;
    if (data.id.startsWith('plugin:') && window.__graph?.aggregated) {
      pluginSel.value = data.id.slice('plugin:'.length);
      render();
      return;
    }
    showDetails(report, byId.get(data.id));
  });
  pluginSel.addEventListener('change', render);
  sequenceSel.addEventListener('change', render);
  for (const b of kindBoxes) b.addEventListener('change', render);
  window.addEventListener('resize', () => chart.resize());
  render();
}

function edgeLine(e: GraphEdge, other: string): string {
  const p95 = e.p95 === null ? '' : ` · p95 ${e.p95} ms`;
  const err = e.errorRate === null ? '' : ` · errors ${(e.errorRate * 100).toFixed(1)}%`;
  return `${e.kind}${e.key ? ` [${e.key}]` : ''} ${other} · ${e.count}×${p95}${err}${e.documented || e.kind === 'chains' || e.kind === 'data' ? '' : ' · undocumented'}`;
}

function showDetails(report: GraphReport, node: GraphNode | undefined): void {
  const box = $('graph-details');
  box.replaceChildren();
  if (!node) return;
  box.append(el('h3', node.name), el('div', `${node.kind}${node.plugin ? ` · ${node.plugin}` : ''}`, 'muted'));
  if (node.file) box.append(el('div', `${node.file}${node.line === null ? '' : `:${node.line}`}`, 'mono'));
  const list = el('ul');
  for (const e of report.edges) {
    if (e.from === node.id) list.append(el('li', edgeLine(e, `→ ${e.to}`)));
    else if (e.to === node.id) list.append(el('li', edgeLine(e, `← ${e.from}`)));
  }
  box.append(list);
}

start();
