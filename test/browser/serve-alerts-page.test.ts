/**
 * Alerts on the live page of `beatscope serve` in headless Chromium: a no-telemetry alert that fires while the
 * page is open appears within 2 s without a reload, a page opened while it is open lists it, and it disappears
 * within 2 s once posted lines (from the real conductor, the demo simulator) resolve it. The server runs
 * in-process on 127.0.0.1 over a real DuckDB store with an injected clock. Screenshot:
 * test-artifacts/screenshots/serve-alert.png.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../src/reports/timeline-browser.js';
import { AlertEngine } from '../../src/serve/alert-engine.js';
import { parseAlertRules } from '../../src/serve/alert-rules.js';
import { SCREENSHOTS, type ServePage, startServePage } from './serve-page-fixture.js';

const chromiumPath = findChromium();

describe.skipIf(chromiumPath === null)('serve alerts on the live page in Chromium', () => {
  let clock = Date.parse('2026-12-01T10:00:00Z');
  let serve: ServePage;
  let engine: AlertEngine;
  let base: string;

  beforeAll(async () => {
    serve = await startServePage(chromiumPath!, {
      seed: 11,
      alerts: (store, live) => {
        engine = new AlertEngine({
          rules: parseAlertRules(
            JSON.stringify({
              schema: 'beatscope/alert-rules',
              version: 1,
              rules: [{ id: 'quiet', kind: 'no-telemetry', minutes: 10 }],
            }),
          ),
          store,
          now: () => clock,
        });
        engine.follow(live, (error) => {
          throw error;
        });
        return engine;
      },
    });
    base = serve.base;
  }, 120_000);
  afterAll(() => serve?.close());

  it('shows an alert when it fires and removes it when it resolves, without a reload', async () => {
    const page = await serve.browser.newPage({ viewport: { width: 1280, height: 700 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    let navigations = 0;
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'live', null, {
      timeout: 5000,
    });
    page.on('framenavigated', () => navigations++);
    expect(await page.locator('#alerts li').count()).toBe(0);

    clock += 11 * 60_000;
    expect((await engine.evaluate()).map((a) => [a.rule, a.state])).toEqual([['quiet', 'firing']]);
    await page.waitForFunction(() => document.querySelectorAll('#alerts li').length === 1, null, { timeout: 2000 });
    expect(await page.textContent('#alerts li')).toBe('quietno telemetry for 11.0 min (rule: 10 min)');
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-alert.png') });

    // A page opened now lists the open alert from /api/alerts.
    const later = await serve.browser.newPage();
    await later.goto(`${base}/`);
    await later.waitForFunction(() => document.querySelectorAll('#alerts li').length === 1, null, { timeout: 2000 });
    expect(await later.textContent('#alerts li b')).toBe('quiet');
    await later.close();

    await serve.post(`${serve.lines.join('\n')}\n`, 'app');
    await page.waitForFunction(() => document.querySelectorAll('#alerts li').length === 0, null, { timeout: 2000 });
    expect(engine.recent().map((a) => a.state)).toEqual(['firing', 'resolved']);
    expect(navigations).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });
});

if (chromiumPath === null) {
  describe('serve alerts on the live page in Chromium', () => {
    it.skip('skipped: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {});
  });
}
