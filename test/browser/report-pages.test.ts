/**
 * The HTML report generated from real conductor logs (the demo simulator, 2 sessions), opened in headless
 * Chromium from file://: no console or page errors, key numbers shown, the timeline zooms and opens a beat's
 * details on click, and log text that looks like HTML stays text. Screenshots go to test-artifacts/screenshots/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeHandlerPerformance } from '../../src/analyses/handler-performance.js';
import { loadTraceData, type TraceData } from '../../src/analyses/trace-data.js';
import { indexCodebase } from '../../src/codebase/index.js';
import { toChromeTrace } from '../../src/exports/chrome-trace.js';
import { checkTraceEventFormat } from '../../src/exports/chrome-trace-check.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { StoreSummary } from '../../src/model/index.js';
import { writeHtmlReport } from '../../src/reports/html-site.js';
import { runReports } from '../../src/reports/run-reports.js';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

const XSS_HANDLER = '<script>alert(1)</script>';
const XSS_TEXT = '"><img src=x onerror=alert(1)>';
const SOURCE_URL = 'https://github.com/o/r/blob/4f2a9c1/{file}#L{line}';
const SCREENSHOTS = resolve('test-artifacts/screenshots');
const chromiumPath = findChromium();

/** Adds a beat whose handler, event, DataBaton preview and error text are HTML-looking log text. */
function withHostileText(data: TraceData): TraceData {
  const beat = data.beats.find((b) => b.startMs !== null && b.sequenceRunId !== null)!;
  const run = data.handlerRuns.find((h) => h.beatRunId === beat.id)!;
  const id = `${beat.id}x`;
  return {
    ...data,
    beats: [...data.beats, { ...beat, id, handlers: [XSS_HANDLER], event: XSS_TEXT, title: XSS_TEXT }],
    // Slow, so it heads the slowest-handler table too.
    handlerRuns: [
      ...data.handlerRuns,
      {
        ...run,
        id: `${run.id}x`,
        handler: XSS_HANDLER,
        beatRunId: id,
        event: XSS_TEXT,
        durationMs: 5000,
        settledAfterBeat: false,
      },
    ],
    batons: [
      ...data.batons,
      {
        kind: 'baton-diff',
        id: 'xss-baton',
        sessionId: beat.sessionId,
        level: 'handler',
        change: { added: [XSS_TEXT], updated: [], removed: [] },
        preview: `</script><script>alert(2)</script>${XSS_TEXT}`,
        handler: XSS_HANDLER,
        pluginId: beat.pluginId,
        requestId: null,
        event: XSS_TEXT,
        sequenceName: beat.sequenceName ?? '',
        beat: beat.beat,
        beatRunId: id,
        sequenceRunId: beat.sequenceRunId,
        timeMs: beat.startMs,
        line: 1,
      },
    ],
    errors: [
      ...data.errors,
      {
        kind: 'handler-error',
        id: 'xss-error',
        sessionId: beat.sessionId,
        pluginId: beat.pluginId ?? 'P',
        handler: XSS_HANDLER,
        message: XSS_TEXT,
        stack: [],
        beatRunId: id,
        sequenceRunId: beat.sequenceRunId,
        beatStillCompleted: true,
        timeMs: beat.startMs,
        line: 1,
      },
    ],
  };
}

let dir = '';
let data: TraceData;
let summary: StoreSummary;
let xssBeatId = '';
let slowest = '';
let handlersTimed = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-pages-'));
  await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 2, seed: 11 });
  const store = new InMemoryStore();
  await ingest([join(dir, 'logs')], { store, workers: 0 });
  summary = await store.summary();
  data = withHostileText(await loadTraceData(store));
  xssBeatId = data.beats.at(-1)!.id;
  const { index: code } = await indexCodebase(demoAppDir());
  const heatmap = analyzeHandlerPerformance(data, code);
  slowest = heatmap.summary.slowestHandler!;
  const timed = heatmap.handlers.filter((h) => h.timing.count > 0).length;
  handlersTimed = `${timed} of ${heatmap.summary.totalHandlers}`;
  const input = { data, code, summary };
  await writeHtmlReport(join(dir, 'site'), {
    summary,
    input,
    runs: runReports(input),
    generatedAt: '2026-11-21T12:00:00Z',
    sourceLabel: `logs ${XSS_TEXT}`,
    sourceUrl: SOURCE_URL,
  });
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('chrome trace of real conductor logs', () => {
  it('keeps the trace event rules (nesting per thread included)', () => {
    const trace = toChromeTrace(data);
    expect(checkTraceEventFormat(trace)).toEqual([]);
    expect(trace.traceEvents.filter((e) => e.cat === 'beat')).toHaveLength(data.beats.length);
  });
});

describe.skipIf(chromiumPath === null)('report pages in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  /** Opens a page, collecting console errors, page errors and dialogs (an XSS would open one). */
  async function open(name: string, hash = '', viewport = { width: 1366, height: 768 }) {
    const page = await browser.newPage({ viewport });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${pathToFileURL(join(dir, 'site', `${name}.html`)).href}${hash}`);
    await page.waitForTimeout(200);
    return { page, problems };
  }

  async function noInjection(page: Page) {
    expect(await page.locator('img').count()).toBe(0);
    const scripts = await page.$$eval('script', (els) =>
      els.map((e) => (e.id === 'timeline-data' ? '' : (e.textContent ?? ''))),
    );
    expect(scripts.some((s) => s.includes('alert('))).toBe(false);
  }

  it('overview: key numbers and links', async () => {
    const { page, problems } = await open('index');
    expect(await page.textContent('#n-runs .num')).toBe(summary.sequenceRuns.toLocaleString('en-US'));
    expect(await page.textContent('#slowest-handler .num')).toBe(slowest);
    expect(await page.textContent('#handlers-timed .num')).toBe(handlersTimed);
    expect(await page.textContent('header .source')).toContain(XSS_TEXT);
    // Charts: the slowest handler heads the p95 bar chart (its hostile name as SVG text), runs per sequence.
    expect(await page.locator('#chart-slowest svg').count()).toBe(1);
    expect(await page.locator('#chart-slowest svg text').first().textContent()).toBe(slowest);
    expect(await page.locator('#chart-runs svg').count()).toBe(1);
    await noInjection(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'index.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('heatmap: slowest handler, legend, hostile handler name as text, drill-down into the timeline', async () => {
    const { page, problems } = await open('heatmap');
    expect(await page.textContent('#slowest tbody tr:first-child .handler-name')).toBe(slowest);
    // The shared absolute scale's four steps and the untimed grey.
    expect(await page.locator('.legend').first().locator('.swatch').count()).toBe(5);
    // Source locations link to the --source-url template, one per located handler row.
    const links = await page.$$eval('#slowest a.src-link', (as) =>
      as.map((a) => [a.textContent, a.getAttribute('href')]),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const [text, href] of links) {
      const [, file, line] = /^(.*):(\d+)$/.exec(text!)!;
      expect(href).toBe(`https://github.com/o/r/blob/4f2a9c1/${file}#L${line}`);
    }
    expect(await page.locator('body').textContent()).toContain(XSS_HANDLER);
    await noInjection(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'heatmap.png'), fullPage: true });
    await page.locator('.heat-cells a').first().click();
    const drill = page.locator('.drill:target');
    expect(await drill.isVisible()).toBe(true);
    expect(await drill.locator('a[href^="timeline.html#"]').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('findings: errors first, hostile log text as text, evidence linked into the timeline', async () => {
    const { page, problems } = await open('findings');
    const kinds = await page.$$eval('section.finding', (els) =>
      els.map((e) => e.className.replace('panel finding ', '')),
    );
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds[0]).toBe('error');
    expect(await page.locator('body').textContent()).toContain(XSS_HANDLER);
    await page.locator('section.finding details summary').first().click();
    expect(await page.locator('section.finding ul.evidence a[href^="timeline.html#beat="]').count()).toBeGreaterThan(0);
    await noInjection(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'findings.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('flows: fitness per sequence and violations by kind', async () => {
    const { page, problems } = await open('flows');
    expect(await page.locator('#fitness tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#kind-handler-error').count()).toBe(1);
    await noInjection(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'flows.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('coverage: four quadrants, riskiest first', async () => {
    const { page, problems } = await open('coverage');
    expect(await page.locator('.quadrant').count()).toBe(4);
    expect(Number(await page.textContent('#q-used-untested .qcount'))).toBeGreaterThan(0);
    await noInjection(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'coverage.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('timeline: zoom, click a beat for its details, hostile text stays text', async () => {
    const { page, problems } = await open('timeline');
    const range = () =>
      page.evaluate(() =>
        (window as unknown as { __timeline: { viewRange(): [number, number] } }).__timeline.viewRange(),
      );
    const span = ([a, b]: [number, number]) => b - a;
    const before = await range();
    await page.click('#tl-zoom-in');
    await page.waitForTimeout(50);
    const afterButton = await range();
    expect(span(afterButton)).toBeLessThan(span(before) * 0.6);
    const box = (await page.locator('#tl-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(50);
    expect(span(await range())).toBeLessThan(span(afterButton));
    expect(Number(await page.getAttribute('#tl-canvas', 'data-view-end'))).toBeGreaterThan(0);

    const target = data.beats.find((b) => b.handlers.includes('relaxLayout'))!.id;
    await page.evaluate(
      (id) => (window as unknown as { __timeline: { reveal(id: string): void } }).__timeline.reveal(id),
      target,
    );
    await page.waitForTimeout(50);
    const point = await page.evaluate(
      (id) =>
        (
          window as unknown as { __timeline: { beatScreenPoint(id: string): { x: number; y: number } } }
        ).__timeline.beatScreenPoint(id),
      target,
    );
    await page.mouse.click(box.x + point.x, box.y + point.y);
    await page.waitForTimeout(50);
    expect(await page.getAttribute('#tl-details .details-body', 'data-beat')).toBe(target);
    expect(await page.textContent('#tl-details')).toContain('p95');
    // The code index maps the handler to its source line.
    expect(await page.textContent('#tl-details .loc')).toMatch(/\.ts:\d+$/);
    // … and, with --source-url, links to it.
    const [, file, line] = /^(.*):(\d+)$/.exec((await page.textContent('#tl-details .loc a'))!)!;
    expect(await page.getAttribute('#tl-details .loc a', 'href')).toBe(
      `https://github.com/o/r/blob/4f2a9c1/${file}#L${line}`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'timeline.png') });

    await page.evaluate(
      (id) => (window as unknown as { __timeline: { select(id: string): void } }).__timeline.select(id),
      xssBeatId,
    );
    await page.waitForTimeout(50);
    const details = await page.textContent('#tl-details');
    expect(details).toContain(XSS_HANDLER);
    expect(details).toContain(XSS_TEXT);
    await noInjection(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'timeline-xss.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  // A phone (390×844 CSS px): no page wider than the screen, the nav wraps instead of running off, and the
  // timeline keeps a canvas tall enough to read lanes (it collapsed to a strip before).
  const PHONE = { width: 390, height: 844 };
  for (const name of ['index', 'findings', 'heatmap', 'flows', 'coverage', 'timeline']) {
    it(`${name} on a phone: no horizontal overflow, the nav wraps`, async () => {
      const { page, problems } = await open(name, '', PHONE);
      const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
      expect(width).toBeLessThanOrEqual(PHONE.width);
      const links = await page
        .locator('header.top nav > *')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
      expect(Math.max(...links.map((r) => r.right))).toBeLessThanOrEqual(PHONE.width);
      // Wrapped: the five entries do not fit one 390 px row, so they take more than one line.
      expect(new Set(links.map((r) => Math.round(r.top))).size).toBeGreaterThan(1);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: name !== 'timeline' });
      if (name === 'timeline') {
        const canvas = (await page.locator('#tl-canvas').boundingBox())!;
        expect(canvas.height).toBeGreaterThanOrEqual(320);
        expect(canvas.width).toBeGreaterThanOrEqual(PHONE.width - 40);
        expect(canvas.x + canvas.width).toBeLessThanOrEqual(PHONE.width);
      }
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('timeline: #handler= from the heatmap searches and jumps, full HD layout', async () => {
    const { page, problems } = await open('timeline', '#handler=relaxLayout', { width: 1920, height: 1080 });
    expect(await page.textContent('#tl-count')).toMatch(/^1 \/ \d+$/);
    expect(await page.textContent('#tl-details h3')).toBe('relaxLayout');
    await page.screenshot({ path: join(SCREENSHOTS, 'timeline-1920.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});

if (chromiumPath === null) {
  describe('report pages in Chromium', () => {
    it.skip('skipped: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {});
  });
}
