/**
 * The trends page in headless Chromium from file://: a store's worth of per-session handler times (two handlers
 * stepping up at session 4 of 8, one staying flat, one named with HTML) analysed by trendsOfRuns, rendered, opened
 * at desktop and phone widths: the table lists each change point, each changed handler has its chart with the
 * change marked, log text stays text, nothing overflows a 390 px screen, no console error. Screenshots go to
 * test-artifacts/screenshots/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TimedRun, trendsOfRuns } from '../../src/analyses/trends/build-trends.js';
import type { TrendsReport } from '../../src/analyses/trends/trends-types.js';
import type { Session } from '../../src/model/index.js';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { renderTrendsPage } from '../../src/reports/trends/html-trends.js';

const SCREENSHOTS = resolve('test-artifacts/screenshots');
const chromiumPath = findChromium();
const EVIL = '<img src=x onerror="document.title=1">';
const T0 = Date.parse('2026-11-20T09:00:00.000Z');

const sessions: Session[] = Array.from({ length: 8 }, (_, i) => ({
  kind: 'session',
  id: `f${i}:s0`,
  fileId: `f${i}`,
  index: 0,
  startLine: 1,
  endLine: 10,
  startMs: T0 + i * 3_600_000,
  endMs: T0 + i * 3_600_000 + 60_000,
  marker: 'file-start',
}));
const base = [
  [9, 11, 10],
  [10, 12, 9],
  [11, 10, 8],
  [9, 10, 12],
  [10, 11, 12],
  [9, 10, 11],
  [12, 10, 9],
  [11, 9, 10],
];
const runs = (plugin: string, handler: string, factor: number): TimedRun[] =>
  base.flatMap((times, i) =>
    times.map((ms) => ({
      sessionId: `f${i}:s0`,
      plugin,
      handler,
      sequence: 'Create',
      durationMs: i >= 4 ? ms * factor : ms,
    })),
  );

let dir: string;
let report: TrendsReport;
beforeAll(async () => {
  report = trendsOfRuns(sessions, [
    ...runs('CanvasPlugin', 'createNode', 3),
    ...runs('EvilPlugin', EVIL, 2),
    ...runs('CanvasPlugin', 'steady', 1),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'beatscope-trends-page-'));
  const ctx = {
    sourceLabel: 'trends test',
    generatedAt: '2026-11-21T12:00:00Z',
    nav: [{ id: 'trends', title: 'Trends' }],
    pages: new Set(['trends']),
  };
  await writeFile(join(dir, 'trends.html'), renderTrendsPage(ctx, report));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(chromiumPath === null)('trends page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  for (const [width, height, name] of [
    [1366, 900, 'desktop'],
    [390, 844, 'phone'],
  ] as const) {
    it(`lists and charts every change point (${name})`, async () => {
      expect(report.changePoints.map((c) => [c.handler, c.at.sessionIndex])).toEqual([
        ['createNode', 4],
        [EVIL, 4],
      ]);
      const page = await browser.newPage({ viewport: { width, height } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(pathToFileURL(join(dir, 'trends.html')).href);
      expect(await page.locator('tbody tr').count()).toBe(2);
      expect(await page.locator('section.trend svg').count()).toBe(2);
      // The change is drawn: a dashed line per chart, labelled with the change.
      const first = page.locator('#trend-0');
      expect(await first.locator('path[stroke-dasharray]').count()).toBeGreaterThanOrEqual(1);
      expect(await first.locator('svg').textContent()).toContain(
        `+${Math.round(report.changePoints[0]!.change * 100)} %`,
      );
      // The handler's name is text, never markup.
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('#trend-1 h3').textContent()).toContain(EVIL);
      expect(await page.title()).not.toBe('1');
      // Each chart fits the screen; wide tables scroll inside their own box.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const svgBox = await first.locator('svg').boundingBox();
      expect(svgBox!.width).toBeLessThanOrEqual(width);
      await page.screenshot({ path: join(SCREENSHOTS, `trends-${name}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
