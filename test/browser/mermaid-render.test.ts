/**
 * The Mermaid beatscope writes, rendered by Mermaid itself (the `mermaid` package's browser build, in headless
 * Chromium): the graph flowchart (`report graph --format mermaid`) and every sequence diagram of the generated
 * docs (`beatscope docs`), from real conductor logs (the demo simulator with the demo app indexed); and names
 * full of characters Mermaid's parser treats specially, which must come out as text — never markup, never a
 * parse error.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsReport } from '../../src/analyses/docs/docs-types.js';
import type { GraphReport } from '../../src/analyses/graph/graph-types.js';
import { renderGraphMermaid } from '../../src/reports/graph/graph-diagram.js';
import { runReports } from '../../src/reports/run-reports.js';
import { renderDocsPages } from '../../src/reports/sequences/docs-md.js';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { type DemoTrace, demoTrace } from '../demo/demo-trace.js';

const MERMAID = resolve('node_modules/mermaid/dist/mermaid.min.js');
const chromiumPath = findChromium();

let demo: DemoTrace;
let graph: GraphReport;
let docs: DocsReport;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 2, seed: 7 });
  const runs = runReports({ data: demo.data, code: demo.code, summary: demo.summary });
  graph = runs.find((r) => r.entry.name === 'graph')!.data as GraphReport;
  docs = runs.find((r) => r.entry.name === 'sequences')!.data as DocsReport;
}, 180_000);
afterAll(async () => demo?.cleanup());

/** The Mermaid blocks of a Markdown page. */
const mermaidBlocks = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

const ODD = ['say "hi" #1 <script>alert(1)</script>', 'a|b [c] (d) {e} `f`; g & h', 'line\nbreak ->> --> %% end'];

describe.skipIf(chromiumPath === null)('Mermaid output rendered by Mermaid in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: MERMAID });
    // Mermaid's defaults, as a Markdown viewer has them (50,000 characters, 500 edges), and its strict security.
    await page.evaluate(() => {
      const m = (globalThis as unknown as { mermaid: { initialize(o: object): void } }).mermaid;
      m.initialize({ startOnLoad: false, securityLevel: 'strict' });
    });
  }, 60_000);
  afterAll(async () => browser?.close());

  /** Renders one diagram; resolves to the SVG's text content and its element names, or rejects with Mermaid's error. */
  async function render(text: string): Promise<{ text: string; elements: string[] }> {
    return page.evaluate(async (src) => {
      const m = (globalThis as unknown as { mermaid: { render(id: string, t: string): Promise<{ svg: string }> } })
        .mermaid;
      const { svg } = await m.render(`d${Math.random().toString(36).slice(2)}`, src);
      const out = document.getElementById('out')!;
      out.innerHTML = svg;
      const elements = [...new Set(Array.from(out.querySelectorAll('*')).map((e) => e.localName))];
      return { text: out.textContent ?? '', elements };
    }, text);
  }

  it('draws the graph of the demo app: every node labelled', async () => {
    const mermaid = renderGraphMermaid(graph);
    const { text, elements } = await render(mermaid);
    expect(elements).toContain('svg');
    expect(elements).not.toContain('script');
    for (const n of graph.nodes.filter((x) => x.kind === 'sequence' || x.kind === 'handler').slice(0, 20))
      expect(text).toContain(`${n.kind}: ${n.name}`);
  }, 120_000);

  it('draws every sequence diagram of the generated docs', async () => {
    const pages = renderDocsPages(docs);
    const diagrams = pages.flatMap((p) => mermaidBlocks(p.markdown).map((d) => ({ file: p.file, d })));
    expect(diagrams.length).toBeGreaterThanOrEqual(docs.sequences.filter((s) => s.beats.length > 0).length);
    for (const { file, d } of diagrams) {
      const { text, elements } = await render(d).catch((e: unknown) => {
        throw new Error(`${file}: ${String(e)}`);
      });
      expect(elements, file).toContain('svg');
      expect(text.length, file).toBeGreaterThan(0);
    }
  }, 120_000);

  it('keeps names with Mermaid syntax in them as text', async () => {
    const [a, b, c] = ODD;
    const node = (id: string, kind: 'handler' | 'key', name: string) => ({
      id,
      kind,
      name,
      plugin: null,
      file: null,
      line: null,
    });
    const odd: GraphReport = {
      ...graph,
      nodes: [node('h1', 'handler', a!), node('k1', 'key', b!), node('h2', 'handler', c!)],
      edges: [
        {
          from: 'h1',
          to: 'k1',
          kind: 'data',
          key: b!,
          event: null,
          count: 3,
          p95: null,
          errorRate: null,
          documented: false,
        },
        {
          from: 'h1',
          to: 'h2',
          kind: 'data',
          key: c!,
          event: null,
          count: 1,
          p95: null,
          errorRate: null,
          documented: true,
        },
      ],
    };
    const { text, elements } = await render(renderGraphMermaid(odd));
    expect(elements).not.toContain('script');
    expect(text).toContain('handler: say "hi" #1 <script>alert(1)</script>');
    expect(text).toContain('key: a|b [c] (d) {e} `f`; g & h');
    expect(text).toContain('handler: line break ->> --> %% end');

    const sequence = docs.sequences.find((s) => s.beats.length > 0)!;
    const beats = sequence.beats.map((beat, i) => ({
      ...beat,
      event: ODD[i % ODD.length]!,
      handler: ODD[(i + 1) % ODD.length]!,
    }));
    const [page] = renderDocsPages({ ...docs, sequences: [{ ...sequence, name: a!, beats }] }).slice(1);
    const [diagram] = mermaidBlocks(page!.markdown);
    const drawn = await render(diagram!);
    expect(drawn.elements).not.toContain('script');
    expect(drawn.text).toContain('<script>alert(1)</script>');
    expect(drawn.text).toContain('a|b [c] (d) {e} `f`; g & h');
  }, 120_000);
});
