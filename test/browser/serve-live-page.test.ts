/**
 * The live page of `beatscope serve` in headless Chromium: opened once, it shows the runs of lines posted after
 * it loaded within 2 s of their acknowledgement, without a reload, and its counts follow the store; a sequence
 * name that is HTML stays text. The server runs in-process on 127.0.0.1 over a real DuckDB store, the lines come
 * from the real conductor (the demo simulator). Screenshot: test-artifacts/screenshots/serve-live.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../src/reports/timeline-browser.js';
import { pageProblems, SCREENSHOTS, type ServePage, startServePage } from './serve-page-fixture.js';

const TOKEN = 'browser-token-51';
const XSS = '<img src=x onerror=alert(1)>';
const chromiumPath = findChromium();

describe.skipIf(chromiumPath === null)('serve live page in Chromium', () => {
  let serve: ServePage;
  let lines: readonly string[];
  const post = (text: string, source: string) => serve.post(text, source);

  beforeAll(async () => {
    serve = await startServePage(chromiumPath!, { seed: 9, token: TOKEN });
    ({ lines } = serve);
  }, 120_000);
  afterAll(() => serve?.close());

  it('shows posted runs within 2 s without a reload, and keeps log text as text', async () => {
    const page = await serve.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = pageProblems(page);
    await page.goto(`${serve.base}/?token=${TOKEN}`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'live', null, {
      timeout: 5000,
    });
    expect(await page.locator('#runs tbody tr').count()).toBe(0);
    // No code index in this store: the coverage report is named but not linked.
    expect(await page.$$eval('nav .off', (spans) => spans.map((s) => s.textContent))).toEqual(['Coverage']);
    expect(await page.$$eval('a[data-report]', (as) => as.map((a) => a.getAttribute('href')))).not.toContain(
      `/reports/coverage.html?token=${TOKEN}`,
    );
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    const rowsShown = async () => {
      const want = (await serve.store.summary()).sequenceRuns;
      const started = Date.now();
      await page.waitForFunction((n) => document.querySelectorAll('#runs tbody tr').length === n, want, {
        timeout: 2000,
      });
      return { want, ms: Date.now() - started };
    };
    const half = Math.floor(lines.length / 2);
    await post(`${lines.slice(0, half).join('\n')}\n`, 'app');
    const first = await rowsShown();
    expect(first.want).toBeGreaterThan(0);
    await post(`${lines.slice(half).join('\n')}\n`, 'app');
    const second = await rowsShown();
    expect(second.want).toBeGreaterThan(first.want);
    const summary = await serve.store.summary();
    expect(await page.textContent('#count-sequenceRuns')).toBe(summary.sequenceRuns.toLocaleString('en'));
    expect(await page.textContent('#count-lines')).toBe(summary.lines.toLocaleString('en'));

    // The same console with its first sequence renamed to HTML, from another source.
    const name = /Now executing "([^"]+)"/.exec(lines.find((l) => l.includes('Now executing "'))!)![1]!;
    await post(`${lines.map((l) => l.replaceAll(name, XSS)).join('\n')}\n`, 'hostile');
    await rowsShown();
    const cells = await page.$$eval('#runs tbody td', (tds) => tds.map((td) => td.textContent));
    expect(cells).toContain(XSS);
    expect(await page.locator('img').count()).toBe(0);
    // A click on a run shows its log lines under it, read from the stored console; its hostile name stays text.
    await page.locator('#runs tbody tr', { hasText: XSS }).first().click();
    const linesRow = page.locator('#runs tbody tr.run-lines pre');
    await page.waitForFunction(() => /\n/.test(document.querySelector('tr.run-lines pre')?.textContent ?? ''), null, {
      timeout: 2000,
    });
    const runLines = (await linesRow.textContent())!.split('\n');
    expect(runLines[1]).toMatch(new RegExp(`^\\d+  .*Now executing "${XSS.replace(/[()]/g, '\\$&')}"$`));
    expect(runLines.length).toBeGreaterThan(10);
    expect(await page.locator('img').count()).toBe(0);
    expect(navigations).toBe(0);
    expect(problems).toEqual([]);
    // The report panels follow at most every 2 s: the screenshot shows them once they caught up.
    await page.waitForTimeout(2500);
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-live.png') });
    await linesRow.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-live-run-lines.png') });
    await page.close();
  });
});

if (chromiumPath === null) {
  describe('serve live page in Chromium', () => {
    it.skip('skipped: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {});
  });
}
