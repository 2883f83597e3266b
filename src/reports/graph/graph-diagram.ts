/**
 * The graph as Graphviz DOT and as a Mermaid flowchart. Names come from logs and code: DOT quotes every id and
 * label (`\` and `"` escaped, line breaks as `\n`); Mermaid gets generated ids (`n0`, `n1`, …) and labels as
 * entity codes for every character its parser treats specially (`"`, `#`, `<`, `>`, `|`, brackets, backtick).
 */
import type { GraphReport } from '../../analyses/graph/graph-types.js';

export function dotString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')}"`;
}

const MERMAID_ENTITIES: Record<string, string> = {
  '"': '#quot;',
  '#': '#35;',
  '<': '#lt;',
  '>': '#gt;',
  '|': '#124;',
  '[': '#91;',
  ']': '#93;',
  '(': '#40;',
  ')': '#41;',
  '{': '#123;',
  '}': '#125;',
  '`': '#96;',
  ';': '#59;',
  '&': '#38;',
};

/** Text safe inside a Mermaid `["…"]` label or `|…|` edge label: specials as entity codes, no line breaks. */
export function mermaidText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/["#<>|[\](){}`;&]/g, (ch) => MERMAID_ENTITIES[ch]!);
}

const SHAPES = {
  plugin: 'box3d',
  sequence: 'box',
  event: 'ellipse',
  handler: 'component',
  topic: 'hexagon',
  key: 'note',
};

const edgeLabel = (e: GraphReport['edges'][number]) =>
  `${e.kind}${e.key === null ? '' : ` ${e.key}`} ×${e.count}${e.p95 === null ? '' : ` p95 ${e.p95}ms`}`;

export function renderGraphDot(report: GraphReport): string {
  const out = ['digraph beatscope {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];'];
  for (const n of report.nodes)
    out.push(`  ${dotString(n.id)} [label=${dotString(`${n.kind}: ${n.name}`)}, shape=${SHAPES[n.kind]}];`);
  for (const e of report.edges) {
    const style = e.documented ? '' : ', style=dashed';
    const never = e.documented && e.count === 0 ? ', color=gray' : '';
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(edgeLabel(e))}${style}${never}];`);
  }
  out.push('}', '');
  return out.join('\n');
}

export function renderGraphMermaid(report: GraphReport): string {
  const ids = new Map(report.nodes.map((n, i) => [n.id, `n${i}`]));
  const out = ['flowchart LR'];
  for (const n of report.nodes) out.push(`  ${ids.get(n.id)}["${mermaidText(`${n.kind}: ${n.name}`)}"]`);
  for (const e of report.edges) {
    const arrow = e.documented ? '-->' : '-.->';
    out.push(`  ${ids.get(e.from)} ${arrow}|"${mermaidText(edgeLabel(e))}"| ${ids.get(e.to)}`);
  }
  out.push('');
  return out.join('\n');
}
