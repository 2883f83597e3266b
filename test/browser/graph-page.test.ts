/**
 * The graph and state pages of a site made from real conductor logs (the demo simulator, 2 sessions, the demo
 * app indexed), opened in headless Chromium from file://: the ECharts graph draws (folded by plugin, the demo
 * having more than 150 nodes), the plugin filter expands one plugin, a node's details list its edges and
 * file:line, and no console or page error occurs. Screenshots go to test-artifacts/screenshots/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphReport } from '../../src/analyses/graph/graph-types.js';
import { writeHtmlReport } from '../../src/reports/html-site.js';
import { runReports } from '../../src/reports/run-reports.js';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { type DemoTrace, demoTrace } from '../demo/demo-trace.js';

const SCREENSHOTS = resolve('test-artifacts/screenshots');
const chromiumPath = findChromium();

let demo: DemoTrace;
let dir: string;
let graph: GraphReport;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 2, seed: 7 });
  dir = await mkdtemp(join(tmpdir(), 'beatscope-graph-page-'));
  const input = { data: demo.data, code: demo.code, summary: demo.summary };
  const runs = runReports(input);
  graph = runs.find((r) => r.entry.name === 'graph')!.data as GraphReport;
  await writeHtmlReport(dir, {
    summary: demo.summary,
    input,
    runs,
    generatedAt: '2026-11-21T12:00:00Z',
    sourceLabel: 'demo',
  });
}, 180_000);
afterAll(async () => {
  await demo?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(chromiumPath === null)('graph and state pages in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  async function open(name: string) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(pathToFileURL(join(dir, `${name}.html`)).href);
    return { page, problems };
  }

  it('draws the graph folded by plugin, expands a plugin, and shows a node’s edges and file:line', async () => {
    const { page, problems } = await open('graph');
    await page.waitForFunction(() => window.__graph !== undefined);
    const plugins = new Set(graph.nodes.map((n) => n.plugin).filter((p) => p !== null));
    expect(graph.nodes.length).toBeGreaterThan(150);
    const folded = await page.evaluate(() => window.__graph!);
    expect(folded.aggregated).toBe(true);
    // One node per plugin, plus one per kind of node that has no plugin (events, topics, keys).
    expect(folded.nodes).toBe(plugins.size + new Set(graph.nodes.filter((n) => !n.plugin).map((n) => n.kind)).size);
    const canvas = (await page.locator('#graph-canvas canvas').first().boundingBox())!;
    expect(canvas.width).toBeGreaterThan(400);
    expect(canvas.height).toBeGreaterThan(400);

    await page.selectOption('#graph-plugin', 'LibraryPlugin');
    const own = graph.nodes.filter((n) => n.plugin === 'LibraryPlugin').map((n) => n.id);
    const neighbours = new Set(
      graph.edges.filter((e) => own.includes(e.from) || own.includes(e.to)).flatMap((e) => [e.from, e.to]),
    );
    for (const id of own) neighbours.add(id);
    const expanded = await page.evaluate(() => window.__graph!);
    expect(expanded).toMatchObject({ aggregated: false, nodes: neighbours.size });
    expect(await page.textContent('#graph-shown')).toContain(`${neighbours.size} nodes`);

    const handler = graph.nodes.find((n) => n.kind === 'handler' && n.plugin === 'LibraryPlugin' && n.file)!;
    await page.evaluate((id) => window.__graph!.details(id), handler.id);
    const details = (await page.textContent('#graph-details'))!;
    expect(details).toContain(`${handler.file}:${handler.line}`);
    const runs = graph.edges.find((e) => e.kind === 'runs' && e.to === handler.id && e.count > 0)!;
    expect(details).toContain(`${runs.count}×`);

    await page.uncheck('input[data-edge-kind="data"]');
    const withoutData = await page.evaluate(() => window.__graph!);
    expect(withoutData.edges).toBeLessThan(expanded.edges);
    await page.screenshot({ path: join(SCREENSHOTS, 'graph.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders the state page with every key', async () => {
    const { page, problems } = await open('state');
    const keys = await page.locator('details.state-key').count();
    expect(keys).toBe(new Set(graph.nodes.filter((n) => n.kind === 'key').map((n) => n.name)).size);
    expect(problems).toEqual([]);
    await page.close();
  });
});

if (chromiumPath === null) {
  describe('graph and state pages in Chromium', () => {
    it.skip('skipped: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {});
  });
}
