/**
 * The live page of `beatscope serve` in headless Chromium: opened once, it shows the runs of lines posted after
 * it loaded within 2 s of their acknowledgement, without a reload, and its counts follow the store; a sequence
 * name that is HTML stays text. The server runs in-process on 127.0.0.1 over a real DuckDB store, the lines come
 * from the real conductor (the demo simulator). Screenshot: test-artifacts/screenshots/serve-live.png.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { createServeServer } from '../../src/serve/http-server.js';
import { LiveIngest } from '../../src/serve/live-ingest.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

const TOKEN = 'browser-token-51';
const XSS = '<img src=x onerror=alert(1)>';
const SCREENSHOTS = resolve('test-artifacts/screenshots');
const chromiumPath = findChromium();

describe.skipIf(chromiumPath === null)('serve live page in Chromium', () => {
  let dir: string;
  let lines: string[];
  let store: DuckDbStore;
  let live: LiveIngest;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beatscope-serve-page-'));
    await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 1, seed: 9 });
    const log = (await readdir(join(dir, 'logs'))).find((f) => f.endsWith('.log'))!;
    lines = (await readFile(join(dir, 'logs', log), 'utf8')).split('\n').slice(0, -1);
    await mkdir(join(dir, 'spool'));
    store = await DuckDbStore.open(join(dir, 'live.duckdb'));
    live = new LiveIngest(store, join(dir, 'spool'));
    await live.init();
    server = createServeServer({ store, live, token: TOKEN, maxBodyBytes: 4 << 20 });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium(chromiumPath!);
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    server?.closeAllConnections();
    await live?.idle();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const post = async (text: string, source: string) => {
    const r = await fetch(`${base}/v1/lines?source=${source}`, {
      method: 'POST',
      body: text,
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` },
    });
    expect(r.status).toBe(200);
  };

  it('shows posted runs within 2 s without a reload, and keeps log text as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${base}/?token=${TOKEN}`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'live', null, {
      timeout: 5000,
    });
    expect(await page.locator('#runs tbody tr').count()).toBe(0);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);

    const rowsShown = async () => {
      const want = (await store.summary()).sequenceRuns;
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
    const summary = await store.summary();
    expect(await page.textContent('#count-sequenceRuns')).toBe(summary.sequenceRuns.toLocaleString('en'));
    expect(await page.textContent('#count-lines')).toBe(summary.lines.toLocaleString('en'));

    // The same console with its first sequence renamed to HTML, from another source.
    const name = /Now executing "([^"]+)"/.exec(lines.find((l) => l.includes('Now executing "'))!)![1]!;
    await post(`${lines.map((l) => l.replaceAll(name, XSS)).join('\n')}\n`, 'hostile');
    await rowsShown();
    const cells = await page.$$eval('#runs tbody td', (tds) => tds.map((td) => td.textContent));
    expect(cells).toContain(XSS);
    expect(await page.locator('img').count()).toBe(0);
    expect(navigations).toBe(0);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'serve-live.png') });
    await page.close();
  });
});

if (chromiumPath === null) {
  describe('serve live page in Chromium', () => {
    it.skip('skipped: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)', () => {});
  });
}
