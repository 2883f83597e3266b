/**
 * The report panels and report pages of `beatscope serve` in headless Chromium, with a token: the live page's
 * slowest-handler, failing-sequence and recent-finding panels show what `/api/reports/<name>` says and follow
 * posted lines without a reload; a report page served at `/reports/<name>.html` refreshes itself after a post
 * (keeping its scroll position), links back to the live page and passes the token on; a sequence name that is
 * HTML stays text. The server runs in-process on 127.0.0.1 over a real DuckDB store with the demo app indexed;
 * the lines come from the real conductor (the demo simulator). Screenshots: test-artifacts/screenshots/
 * serve-panels.png and serve-report-page.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../src/reports/timeline-browser.js';
import { pageProblems, SCREENSHOTS, type ServePage, startServePage } from './serve-page-fixture.js';

const TOKEN = 'panel-token-83';
/** No spaces: a handler name in a log line ends at one. */
const XSS = '<img/src=x/onerror=alert(1)>';
const chromiumPath = findChromium();

interface Heatmap {
  handlers: { name: string; timing: { p95: number | null } }[];
}
interface Flows {
  sequences: { sequenceName: string; runs: number; conformingRuns: number }[];
}
interface Findings {
  findings: { title: string }[];
}

describe.skipIf(chromiumPath === null)('serve report panels and pages in Chromium', () => {
  let serve: ServePage;
  let base: string;
  let lines: readonly string[];
  const post = (text: string, source: string) => serve.post(text, source);

  beforeAll(async () => {
    serve = await startServePage(chromiumPath!, { seed: 9, token: TOKEN, indexApp: true });
    ({ base, lines } = serve);
  }, 120_000);
  afterAll(() => serve?.close());

  const api = async <T>(name: string): Promise<T> =>
    (await fetch(`${base}/api/reports/${name}?token=${TOKEN}`)).json() as Promise<T>;
  /** The first cells of a panel's rows. */
  const firstCells = (page: Page, id: string) =>
    page.$$eval(`#${id} tbody tr`, (trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
  /** Waits (at most 5 s: 2 s debounce, then the fetch) until a panel's first cells are `want`. */
  const panelShows = (page: Page, id: string, want: string[]) =>
    page.waitForFunction(
      ([id, want]) =>
        JSON.stringify(
          Array.from(document.querySelectorAll(`#${id} tbody tr`), (tr) => tr.querySelector('td')?.textContent),
        ) === JSON.stringify(want),
      [id, want] as const,
      { timeout: 5000 },
    );

  it('fills the panels from the report endpoints and follows posted lines', async () => {
    const page = await serve.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems = pageProblems(page);
    await page.goto(`${base}/?token=${TOKEN}`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'live');
    await panelShows(page, 'slowest', ['no timed handler runs yet']);
    expect(await firstCells(page, 'failing')).toEqual(['every run conforms']);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    const third = Math.floor(lines.length / 3);
    await post(`${lines.slice(0, third).join('\n')}\n`, 'app');
    const slowest = (h: Heatmap) =>
      h.handlers
        .filter((x) => x.timing.p95 !== null)
        .slice(0, 8)
        .map((x) => x.name);
    const first = slowest(await api<Heatmap>('heatmap'));
    expect(first.length).toBeGreaterThan(0);
    await panelShows(page, 'slowest', first);

    await post(`${lines.slice(third).join('\n')}\n`, 'app');
    const [heatmap, flows, findings] = await Promise.all([
      api<Heatmap>('heatmap'),
      api<Flows>('flows'),
      api<Findings>('findings'),
    ]);
    await panelShows(page, 'slowest', slowest(heatmap));
    const failing = flows.sequences.filter((s) => s.runs > s.conformingRuns);
    expect(failing.length).toBeGreaterThan(0);
    await panelShows(
      page,
      'failing',
      failing.slice(0, 8).map((s) => s.sequenceName),
    );
    expect(findings.findings.length).toBeGreaterThan(0);
    const shownFindings = await page.$$eval('#findings tbody tr', (trs) =>
      trs.map((tr) => tr.querySelectorAll('td')[1]?.textContent),
    );
    expect(shownFindings.length).toBe(Math.min(8, findings.findings.length));
    for (const title of shownFindings) expect(findings.findings.map((f) => f.title)).toContain(title);

    // The slowest handler renamed to HTML, from another source: shown as text in the slowest panel.
    const name = slowest(heatmap)[0]!;
    await post(`${lines.map((l) => l.replaceAll(name, XSS)).join('\n')}\n`, 'hostile');
    expect(slowest(await api<Heatmap>('heatmap'))).toContain(XSS);
    await page.waitForFunction(
      (xss) => Array.from(document.querySelectorAll('#slowest tbody td')).some((td) => td.textContent === xss),
      XSS,
      { timeout: 5000 },
    );
    expect(await page.locator('img').count()).toBe(0);
    // Every report link carries the token.
    const hrefs = await page.$$eval('a[data-report]', (as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain(`/reports/heatmap.html?token=${TOKEN}`);
    expect(hrefs).toContain(`/reports/coverage.html?token=${TOKEN}`);
    expect(hrefs.every((h) => h?.endsWith(`?token=${TOKEN}`))).toBe(true);
    expect(navigations).toBe(0);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-panels.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('serves the report pages, refreshed after a post with the scroll position kept', async () => {
    const page = await serve.browser.newPage({ viewport: { width: 1280, height: 700 } });
    const problems = pageProblems(page);
    await page.goto(`${base}/reports/heatmap.html?token=${TOKEN}`);
    const header = () => page.textContent('header.top .source');
    const before = await header();
    expect(before).toMatch(/generated \d{4}-\d\d-\d\dT/);
    const navHrefs = await page.$$eval('header.top nav a', (as) => as.map((a) => a.getAttribute('href')));
    expect(navHrefs[0]).toBe(`/?token=${TOKEN}`);
    expect(navHrefs).toContain(`flows.html?token=${TOKEN}`);
    const runsShown = () => page.textContent('main');
    expect(await runsShown()).toContain(XSS);
    expect(await page.locator('img').count()).toBe(0);
    await page.mouse.wheel(0, 600);
    await page.waitForFunction(() => window.scrollY > 0);
    const scrolled = await page.evaluate(() => window.scrollY);

    const reloaded = page.waitForEvent('load', { timeout: 10_000 });
    await post(`${lines.slice(0, 40).join('\n')}\n`, 'third');
    await reloaded;
    await page.waitForFunction((y) => window.scrollY === y, scrolled, { timeout: 2000 });
    expect(await header()).not.toBe(before);
    // The page was computed after the post: its runs count the new source's.
    const flows = await api<{ summary: { sequenceRuns: number } }>('flows');
    const flowsLink = page.locator('header.top nav a', { hasText: 'Flows' });
    await Promise.all([page.waitForEvent('load'), flowsLink.click()]);
    expect(new URL(page.url()).pathname).toBe('/reports/flows.html');
    expect(await page.textContent('main')).toContain(flows.summary.sequenceRuns.toLocaleString('en-US'));
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-report-page.png') });
    await page.close();
  }, 60_000);
});

if (chromiumPath === null) {
  describe('serve report panels and pages in Chromium', () => {
    it.skip('skipped: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {});
  });
}
