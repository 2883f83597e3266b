/** The graph report: plugins, sequences, events, handlers, topics and DataBaton keys, and how they connect. */
import { buildGraph } from '../../analyses/graph/build-graph.js';
import type { GraphReport } from '../../analyses/graph/graph-types.js';
import { formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel } from '../html-overview.js';
import { defineReport } from '../report-definition.js';
import { timelineTrace, withWindowNote } from '../timeline-of.js';
import { renderGraphDot, renderGraphMermaid } from './graph-diagram.js';
import { renderGraphText } from './graph-text.js';
import { renderGraphPage } from './html-graph.js';

export const graphReport = defineReport<GraphReport>({
  name: 'graph',
  title: 'Graph',
  schema: { schema: 'beatscope/graph', version: 1 },
  requiresCode: false,
  reads: ['timeline', 'graph'],
  // On a store larger than the timeline's window, runs edges count every handler run (streamed from the store)
  // and the other edges every run, publish and DataBaton line (computed in the store): the whole store's graph.
  analyze: (input) => {
    const { aggregates, graphFacts } = input;
    if (input.timelineWindow === undefined || aggregates === undefined || graphFacts === undefined)
      return withWindowNote(input, buildGraph(timelineTrace(input), input.code));
    // The store's mounts, registrations and subscriptions are whole in `data` (few rows): routes, owners and names.
    const { mounts, registrations, subscriptions } = input.data;
    const trace = { ...timelineTrace(input), mounts, registrations, subscriptions };
    return buildGraph(trace, input.code, { handlerEdges: aggregates.handlerEdges, facts: graphFacts });
  },
  text: renderGraphText,
  dot: renderGraphDot,
  mermaid: renderGraphMermaid,
  page: (ctx, report) => renderGraphPage(ctx, report),
  card: (g) =>
    overviewPanel(
      'graph',
      'Graph',
      `<div class="cards">
${card('nodes', formatCount(g.summary.nodes))}
${card('edges', formatCount(g.summary.edges))}
${card('undocumented edges', formatCount(g.summary.undocumented), { bad: g.summary.undocumented > 0 })}
${card('chained runs', formatCount(g.edges.filter((e) => e.kind === 'chains').reduce((n, e) => n + e.count, 0)))}
</div>`,
    ),
  headline: (g) => `graph: ${g.summary.nodes} nodes, ${g.summary.edges} edges, ${g.summary.undocumented} undocumented`,
});
