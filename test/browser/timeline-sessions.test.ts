/**
 * Sessions recorded months apart (two real conductor runs of the demo app, simulated at different dates): on
 * the time axis the later session is a sliver far right of the first; "align sessions at their start" measures
 * each session from its own start, so both sessions' beats spread over the canvas — the page opens so — and the
 * session buttons step from one to the other.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import { ERROR, SELECTED } from '../../src/model/timeline-colours.js';
import { writeHtmlReport } from '../../src/reports/html-site.js';
import { runReports } from '../../src/reports/run-reports.js';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

const SCREENSHOTS = resolve('test-artifacts/screenshots');
const chromiumPath = findChromium();
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-sessions-'));
  await simulate({
    appDir: demoAppDir(),
    outDir: join(dir, 'jan'),
    sessions: 1,
    seed: 3,
    startTime: '2026-01-05T09:00:00Z',
  });
  await simulate({
    appDir: demoAppDir(),
    outDir: join(dir, 'sep'),
    sessions: 1,
    seed: 4,
    startTime: '2026-09-21T15:30:00Z',
  });
  const store = new InMemoryStore();
  await ingest([join(dir, 'jan'), join(dir, 'sep')], { store, workers: 0 });
  const data = await loadTraceData(store);
  const summary = await store.summary();
  const input = { data, code: undefined, summary };
  await writeHtmlReport(join(dir, 'site'), {
    summary,
    input,
    runs: runReports(input),
    generatedAt: '2026-11-21T12:00:00Z',
    sourceLabel: 'two sessions months apart',
  });
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Api {
  fit(): void;
  align(on: boolean): void;
  stepSession(dir: 1 | -1): void;
  currentSession(): number;
  beatSessions(): number[];
  beatIds(): string[];
  width(): number;
  gutter(): number;
  beatScreenPoint(id: string): { x: number; y: number } | null;
}

/** Per session: how many of its beats are drawn inside the canvas, and over how many distinct pixel columns. */
async function onScreen(
  page: Page,
): Promise<{ shown: number; total: number; columns: number; spanPx: number; plotPx: number }[]> {
  return page.evaluate(() => {
    const api = (window as unknown as { __timeline: Api }).__timeline;
    const gutter = api.gutter();
    const sessions = api.beatSessions();
    const ids = api.beatIds();
    const width = api.width();
    const out: { shown: number; total: number; columns: Set<number>; xs: number[] }[] = [];
    ids.forEach((id, i) => {
      const s = sessions[i]!;
      out[s] ??= { shown: 0, total: 0, columns: new Set(), xs: [] };
      out[s].total++;
      const p = api.beatScreenPoint(id);
      if (p && p.x >= gutter && p.x <= width) {
        out[s].shown++;
        out[s].columns.add(Math.round(p.x));
        out[s].xs.push(p.x);
      }
    });
    return out.map((o) => ({
      shown: o.shown,
      total: o.total,
      columns: o.columns.size,
      // Beats come in bursts (one run's beats are milliseconds apart), so the span says more than the columns.
      spanPx: o.xs.length === 0 ? 0 : Math.max(...o.xs) - Math.min(...o.xs),
      plotPx: width - gutter,
    }));
  });
}

describe.skipIf(chromiumPath === null)('timeline with sessions months apart', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  it('opens aligned at each session start, every session’s beats on screen; session buttons step between them', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'site', 'timeline.html')).href);
    await page.waitForTimeout(200);
    const api = <T>(fn: (a: Api) => T) => page.evaluate(`(${fn.toString()})(window.__timeline)`) as Promise<Awaited<T>>;
    const spread = async () => {
      const sessions = await onScreen(page);
      expect(sessions).toHaveLength(2);
      for (const s of sessions) {
        expect(s.total).toBeGreaterThan(10);
        expect(s.shown).toBe(s.total);
        // Spread across the plot, not in one pixel column: over a quarter of its width, in distinct bursts.
        expect(s.columns).toBeGreaterThan(10);
        expect(s.spanPx).toBeGreaterThan(s.plotPx / 4);
      }
    };

    // Months apart: the page opens with the sessions aligned, both drawn over the plot.
    expect(await page.isChecked('#tl-align')).toBe(true);
    expect(await page.textContent('#tl-details')).toContain('The sessions are far apart');
    await spread();
    await page.screenshot({ path: join(SCREENSHOTS, 'timeline-aligned.png') });

    // On one time axis, each session's beats collapse into a few pixel columns.
    await page.uncheck('#tl-align');
    await api((a) => a.fit());
    await page.waitForTimeout(50);
    const fitted = await onScreen(page);
    expect(fitted).toHaveLength(2);
    for (const s of fitted) expect(s.columns).toBeLessThan(5);

    await page.check('#tl-align');
    await api((a) => a.fit());
    await page.waitForTimeout(50);
    await spread();

    // Session buttons: from the first to the second and back, each time zoomed onto that session.
    await page.uncheck('#tl-align');
    await page.click('#tl-session-next');
    await page.waitForTimeout(50);
    expect(await api((a) => a.currentSession())).toBe(1);
    const second = await onScreen(page);
    expect(second[1]!.shown).toBe(second[1]!.total);
    expect(second[1]!.columns).toBeGreaterThan(20);
    await page.click('#tl-session-prev');
    await page.waitForTimeout(50);
    expect(await api((a) => a.currentSession())).toBe(0);
    const first = await onScreen(page);
    expect(first[0]!.shown).toBe(first[0]!.total);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a linked range (a heatmap cell’s) on the trace’s own axis, not aligned', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`${pathToFileURL(join(dir, 'site', 'timeline.html')).href}#from=0&to=1000`);
    await page.waitForTimeout(200);
    expect(await page.isChecked('#tl-align')).toBe(false);
    const range = await page.evaluate(() =>
      (window as unknown as { __timeline: { viewRange(): [number, number] } }).__timeline.viewRange(),
    );
    // 0..1000 ms from the trace's start, with 2% margins.
    expect(range[0]).toBeCloseTo(-20, 6);
    expect(range[1]).toBeCloseTo(1020, 6);
    await page.close();
  });

  it('outlines the selected beat in its own colour, not the error red, and the legend names it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(pathToFileURL(join(dir, 'site', 'timeline.html')).href);
    await page.waitForTimeout(200);
    const pixel = await page.evaluate(async () => {
      const api = (window as unknown as { __timeline: Api & { select(id: string): void } }).__timeline;
      const id = api.beatIds()[5]!;
      api.select(id);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const p = api.beatScreenPoint(id)!;
      const canvas = document.getElementById('tl-canvas') as HTMLCanvasElement;
      const dpr = canvas.width / canvas.getBoundingClientRect().width;
      // The beat row is 18 px high with a 2 px bar inset: the 2 px outline covers the row's top 2 px.
      const y = Math.round((p.y - 9 + 1) * dpr);
      const [r, g, b] = canvas.getContext('2d')!.getImageData(Math.round(p.x * dpr), y, 1, 1).data;
      return `#${[r, g, b].map((v) => v!.toString(16).padStart(2, '0')).join('')}`;
    });
    expect(pixel).toBe(SELECTED);
    expect(pixel).not.toBe(ERROR);
    const legend = page.locator('.tl-legend .sw.selected');
    expect(await legend.evaluate((e) => getComputedStyle(e).outlineColor)).toBe('rgb(124, 58, 237)');
    expect(await page.textContent('.tl-legend')).toContain('selected beat');
    await page.close();
  });
});

if (chromiumPath === null) {
  describe('timeline with sessions months apart', () => {
    it.skip('skipped: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {});
  });
}
