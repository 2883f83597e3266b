/**
 * DataBaton keys with characters that mean something in HTML, Mermaid and DOT (quotes, brackets, pipes, `#`,
 * `</script>`, backslashes), written by a handler and by a line that names no handler, in a saved Chrome
 * console: the graph and state reports count them, never crash, and escape them in every output.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphReport } from '../../src/analyses/graph/graph-types.js';
import type { StateReport } from '../../src/analyses/state/state-types.js';
import { loadTraceData, type TraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import { graphReport } from '../../src/reports/graph/definition.js';
import { stateReport } from '../../src/reports/state/definition.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

const ODD = ['a"b', '<img/src=x>', 'x]y[z', 'p|q', '#1;', 't`ick', '</script>', 'back\\slash', "{c}(d)&e'f"];
const line = (t: string, diff: string, handler: string) =>
  `DataBaton.ts:114 2026-11-20T09:00:${t}Z 🎽 DataBaton: ${diff} | seq=Odd Keys beat=? event=odd:keys handler=${handler} plugin=OddPlugin req=odd-keys-symphony-1795165202265-abcdefghi preview={"a\\"b":1}`;
const LOG = [
  line('02.557', `+${ODD.slice(0, 5).join(',')}`, 'writeOdd'),
  line('02.558', `~${ODD.slice(5).join(',')} -${ODD[0]}`, 'writeOdd'),
  line('02.559', `+${ODD[1]}`, 'otherWriter'),
  // A change line that names no handler: counted, never attributed.
  `DataBaton.ts:88 2026-11-20T09:00:02.560Z 🎽 DataBaton: +${ODD[2]} | seq=Odd Keys beat=1 event=odd:keys handler=?`,
  '',
].join('\n');

let dir: string;
let data: TraceData;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-odd-keys-'));
  await writeFile(join(dir, 'odd.log'), LOG);
  const store = new InMemoryStore();
  await ingest([dir], { store, workers: 0 });
  data = await loadTraceData(store);
  await store.close();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const fixed = { colors: false, generatedAt: '2026-11-21T12:00:00.000Z' };
const ctx = { sourceLabel: 'odd <keys>', generatedAt: fixed.generatedAt, nav: [], pages: new Set<string>() };

describe('odd DataBaton keys', () => {
  it('counts every key and the unattributed line', () => {
    const graph = graphReport.run({ data, code: undefined }).data as GraphReport;
    const keys = graph.nodes.filter((n) => n.kind === 'key').map((n) => n.name);
    expect(keys.sort()).toEqual([...ODD].sort());
    expect(graph.edges.find((e) => e.kind === 'data' && e.key === ODD[0])?.count).toBe(2);
    expect(graph.summary.unattributedWrites).toBe(1);
    const state = stateReport.run({ data, code: undefined }).data as StateReport;
    expect(state.summary.unattributedWrites).toBe(1);
    // Two handlers wrote `<img/src=x>` within one request.
    expect(state.keys.find((k) => k.key === ODD[1])?.conflicts[0]?.handlers).toEqual([
      'OddPlugin/writeOdd',
      'OddPlugin/otherWriter',
    ]);
    expect(state.summary.keysWithConflicts).toBe(1);
  });

  it('escapes them in Mermaid: generated ids, labels without a raw special character', () => {
    const mermaid = graphReport.run({ data, code: undefined }).render('mermaid', fixed);
    const lines = mermaid.trim().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    // Label text: no special character except inside an entity code (`#quot;`, `#35;`, …).
    const label = String.raw`"(?:[^"[\]<>|\u0060{}()#;&]|#\w+;)*"`;
    const node = new RegExp(`^  n\\d+\\[${label}\\]$`);
    const edge = new RegExp(`^  n\\d+ -\\.?->\\|${label}\\| n\\d+$`);
    for (const l of lines.slice(1)) expect(node.test(l) || edge.test(l), l).toBe(true);
    expect(mermaid).toContain('key: a#quot;b');
    expect(mermaid).toContain('key: #lt;img/src=x#gt;');
  });

  it('escapes them in DOT: every id and label one quoted string', () => {
    const dot = graphReport.run({ data, code: undefined }).render('dot', fixed);
    const quoted = String.raw`"(?:[^"\\]|\\.)*"`;
    const node = new RegExp(`^  ${quoted} \\[label=${quoted}, shape=\\w+\\];$`);
    const edge = new RegExp(`^  ${quoted} -> ${quoted} \\[label=${quoted}(, style=dashed)?(, color=gray)?\\];$`);
    const body = dot.trim().split('\n').slice(3, -1);
    expect(body.length).toBeGreaterThan(ODD.length);
    for (const l of body) expect(node.test(l) || edge.test(l), l).toBe(true);
    expect(dot).toContain(String.raw`"key:a\"b"`);
    expect(dot).toContain(String.raw`"key:back\\slash"`);
  });

  it('escapes them in the HTML pages and keeps the data island closed', async () => {
    const graphPage = await graphReport.run({ data, code: undefined }).page(ctx, {} as never);
    const statePage = await stateReport.run({ data, code: undefined }).page(ctx, {} as never);
    for (const page of [graphPage, statePage]) {
      expect(page).not.toContain('<img/src=x>');
      expect(page).toContain('&lt;img/src=x&gt;');
    }
    // The only `</script>` closings are the page's own scripts; the key inside the JSON island is \u003c-escaped.
    const island = graphPage.slice(graphPage.indexOf('id="graph-data">'));
    expect(island.indexOf('</script>')).toBeGreaterThan(island.indexOf('\\u003c/script\\u003e'));
    expect(statePage).not.toContain('</script>\n<');
  });
});
