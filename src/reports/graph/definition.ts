/** The graph report: plugins, sequences, events, handlers, topics and DataBaton keys, and how they connect. */
import { buildGraph } from '../../analyses/graph/build-graph.js';
import type { GraphReport } from '../../analyses/graph/graph-types.js';
import { formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel } from '../html-overview.js';
import { defineReport } from '../report-definition.js';
import { timelineTrace, windowNote, withWindowNote } from '../timeline-of.js';
import { renderGraphDot, renderGraphMermaid } from './graph-diagram.js';
import { renderGraphText } from './graph-text.js';
import { renderGraphPage } from './html-graph.js';

export const graphReport = defineReport<GraphReport>({
  name: 'graph',
  title: 'Graph',
  schema: { schema: 'beatscope/graph', version: 1 },
  requiresCode: false,
  // On a store larger than the timeline's window, runs edges still count every handler run (streamed from the
  // store); the other edges cover the window, as the note says.
  analyze: (input) => {
    const windowed = input.timelineWindow !== undefined && input.aggregates !== undefined;
    const report = buildGraph(timelineTrace(input), input.code, windowed ? input.aggregates!.handlerEdges : undefined);
    const note = windowNote(input);
    if (note === null || !windowed) return withWindowNote(input, report);
    return { ...report, notes: [...report.notes, `${note}; runs edges count every handler run of the store`] };
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
