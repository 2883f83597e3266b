/**
 * The graph page at the size a large app reaches — 500 handlers in 20 plugins, 5,000 edges — opened in headless
 * Chromium: it draws folded by plugin (one node per plugin, plus one per kind of node without a plugin), picking a
 * plugin expands it to its nodes and their neighbours, a node's details open, and no error occurs.
 * The graph is generated with a fixed seed (its shape is what is tested, not its numbers).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, GraphReport } from '../../src/analyses/graph/graph-types.js';
import { graphEdgeKinds } from '../../src/analyses/graph/graph-types.js';
import { renderGraphPage } from '../../src/reports/graph/html-graph.js';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { createRng } from '../../src/simulate/prng.js';

const SCREENSHOTS = resolve('test-artifacts/screenshots');
const chromiumPath = findChromium();

function bigGraph(): GraphReport {
  const r = createRng(2026);
  const rng = () => r.next();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const nodes: GraphNode[] = [];
  const node = (n: Omit<GraphNode, 'file' | 'line'> & { file?: string; line?: number }) => {
    nodes.push({ file: null, line: null, ...n });
    return n.id;
  };
  const plugins = Array.from({ length: 20 }, (_, p) => `Plugin${p}`);
  const handlers: string[] = [];
  const sequences: string[] = [];
  for (const plugin of plugins) {
    node({ id: `plugin:${plugin}`, kind: 'plugin', name: plugin, plugin });
    for (let s = 0; s < 5; s++)
      sequences.push(node({ id: `sequence:${plugin}-s${s}`, kind: 'sequence', name: `${plugin} S${s}`, plugin }));
    for (let h = 0; h < 25; h++)
      handlers.push(
        node({
          id: `handler:${plugin}/h${h}`,
          kind: 'handler',
          name: `h${h}`,
          plugin,
          file: `src/${plugin}/h${h}.ts`,
          line: h + 1,
        }),
      );
  }
  const keys = Array.from({ length: 200 }, (_, k) =>
    node({ id: `key:k${k}`, kind: 'key', name: `k${k}`, plugin: null }),
  );
  const events = Array.from({ length: 100 }, (_, e) =>
    node({ id: `event:e${e}`, kind: 'event', name: `e:${e}`, plugin: null }),
  );
  const edges = new Map<string, GraphEdge>();
  while (edges.size < 5000) {
    const kind = pick(graphEdgeKinds);
    const [from, to] =
      kind === 'runs'
        ? [pick(sequences), pick(handlers)]
        : kind === 'data'
          ? [pick(handlers), pick(rng() < 0.5 ? keys : handlers)]
          : kind === 'chains'
            ? [pick(sequences), pick(sequences)]
            : kind === 'publishes'
              ? [pick(sequences), pick(events)]
              : [pick(events), pick(sequences)];
    const id = `${kind} ${from} ${to}`;
    if (from === to || edges.has(id)) continue;
    edges.set(id, {
      from,
      to,
      kind,
      key: kind === 'data' ? `k${Math.floor(rng() * 200)}` : null,
      event: kind === 'runs' ? pick(events) : null,
      count: Math.floor(rng() * 1000),
      p95: kind === 'runs' ? Math.round(rng() * 500) : null,
      errorRate: kind === 'runs' ? Math.round(rng() * 100) / 1000 : null,
      documented: rng() < 0.7,
    });
  }
  const list = [...edges.values()];
  const byEdgeKind = Object.fromEntries(graphEdgeKinds.map((k) => [k, list.filter((e) => e.kind === k).length]));
  return {
    codeIndex: true,
    summary: {
      nodes: nodes.length,
      edges: list.length,
      byEdgeKind: byEdgeKind as GraphReport['summary']['byEdgeKind'],
      undocumented: 0,
      neverSeen: 0,
      unattributedPublishes: 0,
      unattributedWrites: 0,
    },
    nodes,
    edges: list,
    notes: [],
  };
}

let dir: string;
let graph: GraphReport;
beforeAll(async () => {
  graph = bigGraph();
  dir = await mkdtemp(join(tmpdir(), 'beatscope-graph-scale-'));
  const ctx = { sourceLabel: 'scale', generatedAt: '2026-12-05T00:00:00Z', nav: [], pages: new Set<string>() };
  await writeFile(join(dir, 'graph.html'), await renderGraphPage(ctx as never, graph));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(chromiumPath === null)('the graph page with 500 handlers and 5,000 edges', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  it('draws folded by plugin, expands one plugin or one sequence on demand, and opens a node’s details', async () => {
    expect(graph.nodes.filter((n) => n.kind === 'handler')).toHaveLength(500);
    expect(graph.edges).toHaveLength(5000);
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(pathToFileURL(join(dir, 'graph.html')).href);
    await page.waitForFunction(() => window.__graph !== undefined, undefined, { timeout: 30_000 });
    const folded = await page.evaluate(() => window.__graph!);
    // 20 plugins, plus keys and events (no plugin) folded by kind.
    expect(folded).toMatchObject({ aggregated: true, nodes: 22 });

    await page.selectOption('#graph-plugin', 'Plugin7');
    const own = new Set(graph.nodes.filter((n) => n.plugin === 'Plugin7').map((n) => n.id));
    const shown = new Set(own);
    for (const e of graph.edges)
      if (own.has(e.from) || own.has(e.to)) {
        shown.add(e.from);
        shown.add(e.to);
      }
    const expanded = await page.evaluate(() => window.__graph!);
    expect(expanded).toMatchObject({ aggregated: false, nodes: shown.size });

    // One sequence: itself, the handlers it runs, and their neighbours.
    await page.selectOption('#graph-plugin', '');
    await page.selectOption('#graph-sequence', 'sequence:Plugin3-s2');
    const seqOwn = new Set([
      'sequence:Plugin3-s2',
      ...graph.edges.filter((e) => e.kind === 'runs' && e.from === 'sequence:Plugin3-s2').map((e) => e.to),
    ]);
    const seqShown = new Set(['sequence:Plugin3-s2']);
    for (const e of graph.edges)
      if (seqOwn.has(e.from) || seqOwn.has(e.to)) {
        seqShown.add(e.from);
        seqShown.add(e.to);
      }
    expect(await page.evaluate(() => window.__graph!)).toMatchObject({ aggregated: false, nodes: seqShown.size });

    await page.evaluate(() => window.__graph!.details('handler:Plugin7/h3'));
    expect(await page.textContent('#graph-details')).toContain('src/Plugin7/h3.ts:4');
    await page.screenshot({ path: join(SCREENSHOTS, 'graph-scale.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});

if (chromiumPath === null) {
  describe('the graph page with 500 handlers and 5,000 edges', () => {
    it.skip('skipped: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {});
  });
}
