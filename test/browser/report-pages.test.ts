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
import type { HandlerPerformanceReport } from '../../src/analyses/handler-performance-types.js';
import { loadTraceData, type TraceData } from '../../src/analyses/trace-data.js';
import { indexCodebase } from '../../src/codebase/index.js';
import { toChromeTrace } from '../../src/exports/chrome-trace.js';
import { checkTraceEventFormat } from '../../src/exports/chrome-trace-check.js';
import { ingest } from '../../src/ingest/ingest.js';
import { formatMs } from '../../src/model/format-ms.js';
import type { StoreSummary } from '../../src/model/index.js';
import { paddedBins } from '../../src/reports/charts/handler-charts.js';
import { writeHtmlReport } from '../../src/reports/html-site.js';
import { writeReportBundle } from '../../src/reports/report-bundle.js';
import { analyzeStore, runReports } from '../../src/reports/run-reports.js';
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
let heatmapReport: HandlerPerformanceReport;
let store: InMemoryStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-pages-'));
  await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 2, seed: 11 });
  store = new InMemoryStore();
  await ingest([join(dir, 'logs')], { store, workers: 0 });
  summary = await store.summary();
  data = withHostileText(await loadTraceData(store));
  xssBeatId = data.beats.at(-1)!.id;
  const { index: code } = await indexCodebase(demoAppDir());
  const heatmap = analyzeHandlerPerformance(data, code);
  heatmapReport = heatmap;
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

  // One handler's histogram and p95 per session: the slowest is shown first, a select, a table row or a heatmap
  // row label picks another; the charts are SVG rendered into the page, their numbers the report's.
  for (const [label, viewport] of [
    ['desktop', { width: 1366, height: 900 }],
    ['390', { width: 390, height: 844 }],
  ] as const) {
    it(`heatmap latency charts (${label}): histogram and p95 per session per handler`, async () => {
      const { page, problems } = await open('heatmap', '', viewport);
      const timed = heatmapReport.handlers.filter((h) => h.timing.count > 0);
      const shown = page.locator('#handler-charts .hc:visible');
      /** The visible handler's name, and the texts of its p95 line chart. */
      const state = async () => ({
        name: await shown.locator('.hc-name').textContent(),
        sessions: await shown.locator('.hc-p95 svg text').allTextContents(),
      });
      const expectCharts = async (h: (typeof timed)[number]) => {
        expect(await shown.count()).toBe(1);
        const { name, sessions } = await state();
        expect(name).toBe(h.name);
        // Two charts, drawn (non-zero size); the line labels every session's p95 with the report's number.
        expect(await shown.locator('svg').count()).toBe(2);
        for (const svg of await shown.locator('svg').all())
          expect((await svg.boundingBox())!.height).toBeGreaterThan(100);
        for (const p of h.p95BySession) if (p.p95 !== null) expect(sessions).toContain(formatMs(p.p95));
        // The bins' ranges label the axis (the ladder around them; a few may be skipped where they would overlap).
        const ranges = (await shown.locator('.hc-hist svg text').allTextContents()).filter((t) => /^\d+–\d+$/.test(t));
        const drawn = paddedBins(h.histogram).map((b) => `${b.fromMs}–${b.toMs}`);
        expect(ranges.length).toBeGreaterThanOrEqual(drawn.length / 2);
        for (const t of ranges) expect(drawn).toContain(t);
      };
      // The hostile handler (5 s, slowest) first: its name is text in the select and the heading.
      expect(timed[0]!.name).toBe(XSS_HANDLER);
      await expectCharts(timed[0]!);
      expect(await page.locator('#hc-select option').count()).toBe(Math.min(30, timed.length));
      expect(await page.locator('#hc-select option').first().textContent()).toContain(XSS_HANDLER);
      await page.locator('#handler-charts').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `heatmap-charts-${label}.png`) });

      // The select picks the third handler.
      const third = timed[2]!;
      await page.selectOption('#hc-select', { index: 2 });
      await expectCharts(third);
      expect(third.p95BySession.length).toBeGreaterThan(1);
      await page.screenshot({ path: join(SCREENSHOTS, `heatmap-charts-${label}-picked.png`) });

      // A click on the second row of the slowest table (not on its links) picks the second.
      await page.locator('#slowest tbody tr').nth(1).locator('td').nth(3).click();
      await page.waitForTimeout(50);
      await expectCharts(timed[1]!);
      expect(await page.inputValue('#hc-select')).toBe('hc-1');

      // A heatmap row label picks that row's handler (rows are in `handlers` order).
      await page.locator('.heat-rows a.row-pick[href="#hc-3"]').click();
      await page.waitForTimeout(50);
      expect(heatmapReport.handlers[3]!.timing.count).toBeGreaterThan(0);
      await expectCharts(heatmapReport.handlers[3]!);
      await noInjection(page);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('heatmap latency charts follow a #hc- fragment, and ignore a malformed one', async () => {
    const { page, problems } = await open('heatmap', '#hc-4');
    expect(await page.locator('#handler-charts .hc:visible').getAttribute('id')).toBe('hc-4');
    expect(await page.inputValue('#hc-select')).toBe('hc-4');
    await page.evaluate(() => {
      location.hash = '#hc-2';
    });
    await page.waitForTimeout(50);
    expect(await page.locator('#handler-charts .hc:visible').getAttribute('id')).toBe('hc-2');
    await page.evaluate(() => {
      location.hash = '#%E0%A4%A';
    });
    await page.waitForTimeout(50);
    expect(await page.locator('#handler-charts .hc:visible').getAttribute('id')).toBe('hc-2');
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
    // The matrix: a row per handler-error finding, each linking to it, and a cell per sequence it ran in.
    const errorFindings = await page.$$eval('section.finding', (els) =>
      els.filter((e) => e.querySelector('.head strong')?.textContent === 'handler-error').map((e) => e.id),
    );
    const rowLinks = await page.$$eval('.matrix tbody tr th a', (els) => els.map((a) => a.getAttribute('href')));
    expect(errorFindings.length).toBeGreaterThan(0);
    expect(rowLinks.sort()).toEqual(errorFindings.map((id) => `#${id}`).sort());
    expect(await page.locator('.matrix tbody td.num').count()).toBeGreaterThanOrEqual(errorFindings.length);
    await page.locator('section.finding details summary').first().click();
    expect(await page.locator('section.finding ul.evidence a[href^="timeline.html#beat="]').count()).toBeGreaterThan(0);
    await noInjection(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'findings.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('findings: filters by severity, kind and text, and the matrix follows', async () => {
    const { page, problems } = await open('findings');
    const visible = () =>
      page.$$eval('section.finding', (els) =>
        els.filter((e) => !(e as HTMLElement).hidden).map((e) => (e as HTMLElement).dataset['kind']),
      );
    const all = await visible();
    expect(await page.locator('#findings-filter').isVisible()).toBe(true);
    expect(await page.textContent('#findings-filter .shown')).toBe(`${all.length} of ${all.length} shown`);
    // Errors off: what is left is no error, and no matrix row (every row is a handler-error).
    await page.uncheck('#findings-filter input[value="error"]');
    const noErrors = await page.$$eval('section.finding:not([hidden])', (els) =>
      els.map((e) => (e as HTMLElement).dataset['severity']),
    );
    expect(noErrors.length).toBeGreaterThan(0);
    expect(noErrors).not.toContain('error');
    expect(await page.locator('.matrix tbody tr:visible').count()).toBe(0);
    await page.check('#findings-filter input[value="error"]');
    await page.selectOption('#findings-filter select[name="kind"]', 'handler-error');
    expect(new Set(await visible())).toEqual(new Set(['handler-error']));
    // The text filter matches log text as text: the hostile handler name finds its own finding.
    await page.fill('#findings-filter input[name="q"]', XSS_HANDLER);
    const hits = await page.$$eval('section.finding:not([hidden]) h3', (els) => els.map((e) => e.textContent));
    expect(hits.length).toBe(1);
    expect(hits[0]).toContain(XSS_HANDLER);
    expect(await page.locator('.matrix tbody tr:visible').count()).toBe(1);
    await noInjection(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('heatmap latency charts without script: a #hc- link still shows its handler', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${pathToFileURL(join(dir, 'site', 'heatmap.html')).href}#hc-2`);
    const shown = page.locator('#handler-charts .hc:visible');
    expect(await shown.count()).toBe(1);
    expect(await shown.getAttribute('id')).toBe('hc-2');
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
    expect(await page.textContent('#tl-details code')).toBe(`beatscope lines ${target}`);
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

  // On a phone the label gutter shrinks (a quarter of the canvas, at least 90 px) and two fingers zoom the time
  // axis around their midpoint, as the wheel does around the pointer; the page itself does not zoom.
  it('timeline on a phone: narrower gutter, pinch zoom around the midpoint', async () => {
    const page = await browser.newPage({ viewport: PHONE, hasTouch: true, isMobile: true });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(pathToFileURL(join(dir, 'site', 'timeline.html')).href);
    await page.waitForTimeout(200);
    type Api = { viewRange(): [number, number]; gutter(): number; width(): number };
    const api = () =>
      page.evaluate(() => {
        const t = (window as unknown as { __timeline: Api }).__timeline;
        return { range: t.viewRange(), gutter: t.gutter(), width: t.width() };
      });
    const before = await api();
    expect(before.width).toBeLessThan(PHONE.width);
    expect(before.gutter).toBe(Math.max(90, Math.round(before.width / 4)));
    expect(before.gutter).toBeLessThan(120);

    const box = (await page.locator('#tl-canvas').boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const y = box.y + box.height / 2;
    const mid = box.x + before.gutter + (box.width - before.gutter) * 0.6;
    /** Time under canvas x for a view. */
    const timeAt = (s: typeof before, x: number) =>
      s.range[0] + ((x - box.x - s.gutter) / (s.width - s.gutter)) * (s.range[1] - s.range[0]);
    const pinch = async (fromHalf: number, toHalf: number) => {
      const points = (half: number) => [
        { x: mid - half, y, id: 0 },
        { x: mid + half, y, id: 1 },
      ];
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(fromHalf) });
      for (let k = 1; k <= 6; k++) {
        const half = fromHalf + ((toHalf - fromHalf) * k) / 6;
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(half) });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForTimeout(100);
    };
    const span = (s: typeof before) => s.range[1] - s.range[0];

    // Fingers 40 → 120 px apart: three times closer, about the same instant under their midpoint.
    await pinch(20, 60);
    const zoomed = await api();
    expect(span(zoomed) / span(before)).toBeCloseTo(1 / 3, 2);
    expect(Math.abs(timeAt(zoomed, mid) - timeAt(before, mid))).toBeLessThan(span(zoomed) * 0.01);
    await page.screenshot({ path: join(SCREENSHOTS, 'timeline-390-pinched.png') });
    // Back together: zooms out again.
    await pinch(60, 30);
    expect(span(await api()) / span(zoomed)).toBeCloseTo(2, 2);
    // The page did not zoom with the gesture (touch-action: none on the canvas).
    expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1);

    // One finger drags the axis: content follows the finger, so the view moves back in time.
    const dragged = await api();
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: mid, y, id: 0 }] });
    for (let k = 1; k <= 5; k++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: mid + k * 12, y, id: 0 }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await page.waitForTimeout(100);
    const after = await api();
    expect(span(after)).toBeCloseTo(span(dragged), 6);
    expect(after.range[0]).toBeLessThan(dragged.range[0]);

    // A tap is still a click: it selects the beat under the finger.
    const target = data.beats.find((b) => b.handlers.includes('relaxLayout'))!.id;
    await page.evaluate(
      (id) => (window as unknown as { __timeline: { reveal(id: string): void } }).__timeline.reveal(id),
      target,
    );
    await page.waitForTimeout(50);
    const at = await page.evaluate(
      (id) =>
        (
          window as unknown as { __timeline: { beatScreenPoint(id: string): { x: number; y: number } } }
        ).__timeline.beatScreenPoint(id),
      target,
    );
    await page.touchscreen.tap(box.x + at.x, box.y + at.y);
    await page.waitForTimeout(100);
    expect(await page.getAttribute('#tl-details .details-body', 'data-beat')).toBe(target);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('timeline: #beat= of a beat it does not hold says so, with the commands that show it', async () => {
    const id = '0123456789abcdef:s0:r999999:b1';
    const { page, problems } = await open('timeline', `#beat=${encodeURIComponent(id)}`);
    expect(await page.textContent('#tl-details h3')).toBe('Beat not in this timeline');
    const commands = await page.$$eval('#tl-details code', (els) => els.map((e) => e.textContent));
    expect(commands).toEqual([
      `beatscope lines ${id}`,
      `beatscope report timeline --at ${id} --format html --out <dir>`,
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('timeline laid around a line (`report timeline --at`) opens on the beat there', async () => {
    const file = (await store.files())[0]!;
    const beats = (await loadTraceData(store, { fileIds: [file.fileId] })).beats;
    const target = beats[Math.floor(beats.length / 2)]!;
    const set = await analyzeStore(store, {
      timelineFile: file.fileId,
      timelineLine: target.span.startLine,
      timelineBeats: 10,
    });
    await writeReportBundle(join(dir, 'at-site'), set, 'test');
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(pathToFileURL(join(dir, 'at-site', 'timeline.html')).href);
    await page.waitForTimeout(200);
    const selected = await page.evaluate(() =>
      (window as unknown as { __timeline: { selected(): string | null } }).__timeline.selected(),
    );
    expect(selected).toBe(target.id);
    expect(await page.textContent('#tl-window-note')).toContain(
      `around line ${target.span.startLine.toLocaleString('en-US')}`,
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('timeline: #handler= from the heatmap searches and jumps, full HD layout', async () => {
    const { page, problems } = await open('timeline', '#handler=relaxLayout', { width: 1920, height: 1080 });
    expect(await page.textContent('#tl-count')).toMatch(/^1 \/ \d+$/);
    expect(await page.textContent('#tl-details h3')).toBe('relaxLayout');
    // A wide canvas keeps the full label gutter.
    expect(
      await page.evaluate(() => (window as unknown as { __timeline: { gutter(): number } }).__timeline.gutter()),
    ).toBe(168);
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
