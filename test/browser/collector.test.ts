/**
 * `beatscope/collector` in headless Chromium against the built `beatscope serve` binary: a page on another origin
 * (so CORS is exercised) loads the collector from dist/ as an ES module and prints, through `console.log`, the
 * messages the real conductor printed in a simulated session (the demo simulator). The lines land in the store:
 * its runs equal a one-shot `ingest` of the session's saved console. Half-way, the server is killed with SIGKILL:
 * the page keeps printing, the collector retries with backoff, and once serve is back (same port, store and
 * spool) every line is delivered and none is stored twice. A collector whose server is unreachable keeps at most
 * `maxBufferLines` lines and counts the oldest it dropped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectorStats } from '../../src/collector/collector.js';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { BIN, beatscope, ROOT } from '../cli/run-beatscope.js';

const chromiumPath = findChromium();
const DIST = join(ROOT, 'dist');

/** A saved Chrome console's messages: `<file>:<line> <ISO time> <message>`, continuation lines joined back. */
function messages(log: string): string[] {
  const out: string[] = [];
  for (const line of log.split('\n').slice(0, -1)) {
    const m = /^\S+\.(?:ts|js):\d+ \d{4}-\d{2}-\d{2}T\S+Z (.*)$/.exec(line);
    if (m) out.push(m[1]!);
    else out[out.length - 1] += `\n${line}`;
  }
  return out;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as AddressInfo;
  await new Promise((ok) => probe.close(ok));
  return port;
}

function startServe(args: string[]): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const exited = new Promise((ok) => child.on('exit', ok));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^beatscope serve: http:/.test(out)) ok({ child, exited });
    });
    void exited.then(() => fail(new Error(`serve exited: ${err}`)));
  });
}

describe.skipIf(chromiumPath === null)('beatscope/collector in Chromium', () => {
  let dir: string;
  let sessionMessages: string[];
  let expected: Record<string, number>;
  let page: Server;
  let pageBase: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beatscope-collector-'));
    await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 1, seed: 13 });
    const log = join(dir, 'logs', readdirSync(join(dir, 'logs')).find((f) => f.endsWith('.log'))!);
    sessionMessages = messages(readFileSync(log, 'utf8'));
    const db = join(dir, 'one-shot.duckdb');
    expect(beatscope('ingest', log, '--db', db).code).toBe(0);
    expected = JSON.parse(beatscope('summary', '--json', '--db', db).out);
    // The app's origin: a page and the built package's files (dist/), on a port of its own.
    page = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<!doctype html><title>app</title><script type="module">' +
            "import { startCollector } from '/dist/collector/collector.js'; window.startCollector = startCollector;" +
            '</script><p>app</p>',
        );
        return;
      }
      const file = normalize(join(DIST, path.replace(/^\/dist\//, '')));
      if (!path.startsWith('/dist/') || !file.startsWith(DIST)) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = readFileSync(file);
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => page.listen(0, '127.0.0.1', ok));
    pageBase = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    browser = await launchChromium(chromiumPath!);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    page?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the app page and starts the collector in it (`window.collector`). */
  async function openApp(options: Record<string, unknown>): Promise<Page> {
    const tab = await browser.newPage();
    await tab.goto(`${pageBase}/`);
    await tab.waitForFunction(() => 'startCollector' in window);
    await tab.evaluate((opts) => {
      const w = window as unknown as Record<string, unknown> & { startCollector(o: unknown): unknown };
      w['collector'] = w.startCollector(opts);
    }, options);
    return tab;
  }
  const print = (tab: Page, list: string[]) =>
    tab.evaluate((all) => {
      for (const m of all) console.log(m);
    }, list);
  const stats = (tab: Page) =>
    tab.evaluate(() => (window as unknown as { collector: { stats(): CollectorStats } }).collector.stats());
  const flush = (tab: Page) =>
    tab.evaluate(() => (window as unknown as { collector: { flush(): Promise<void> } }).collector.flush());

  it('forwards the lines printed in the page to serve, through a SIGKILL and restart, each stored once', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = ['--db', join(dir, 'live.duckdb'), '--port', String(port), '--token', 'collector-token-1'];
    let serve = await startServe(args);
    const tab = await openApp({ url, source: 'app', token: 'collector-token-1', batchLines: 100, flushMs: 50 });
    const half = Math.floor(sessionMessages.length / 2);
    try {
      await print(tab, sessionMessages.slice(0, half));
      await flush(tab);
      expect(await stats(tab)).toMatchObject({ source: 'app', sent: half, dropped: 0, buffered: 0, lastError: null });

      serve.child.kill('SIGKILL');
      await serve.exited;
      await print(tab, sessionMessages.slice(half));
      // Server down: the collector fails, keeps the lines and backs off.
      const waitFor = async (check: (s: CollectorStats) => boolean) => {
        for (let i = 0; i < 200 && !check(await stats(tab)); i++) await new Promise((r) => setTimeout(r, 50));
        return stats(tab);
      };
      const down = await waitFor((s) => s.retries >= 2);
      expect(down.retries).toBeGreaterThanOrEqual(2);
      expect(down.sent).toBe(half);
      expect(down.lastError).not.toBeNull();

      serve = await startServe(args);
      const done = await waitFor((s) => s.sent === sessionMessages.length);
      await flush(tab);
      expect(done).toMatchObject({ sent: sessionMessages.length, dropped: 0, lastError: null });
      const summary = await (
        await fetch(`${url}/api/summary`, { headers: { authorization: 'Bearer collector-token-1' } })
      ).json();
      for (const key of ['sequenceRuns', 'sequenceRunsCompleted', 'beatRuns', 'handlerErrors'])
        expect(summary[key], key).toBe(expected[key]);
      // Every message once, after the JSONL header.
      expect(summary.lines).toBe(sessionMessages.length + 1);
      expect(summary.files).toBe(1);
    } finally {
      await tab.close();
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  }, 180_000);

  it('keeps at most maxBufferLines while the server is unreachable and counts the oldest it dropped', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const tab = await openApp({ url, source: 'lost', maxBufferLines: 10, flushMs: 60_000 });
    try {
      await print(tab, sessionMessages.slice(0, 25));
      expect(await stats(tab)).toMatchObject({ sent: 0, dropped: 15, buffered: 10, inFlight: 0 });
    } finally {
      await tab.close();
    }
  });

  it('leaves the console working: the page still sees every call', async () => {
    const tab = await browser.newPage();
    const seen: string[] = [];
    // The browser's own network errors (type `error`, no console call) are not the page's.
    tab.on('console', (m) => {
      if (m.type() !== 'error') seen.push(`${m.type()}:${m.text()}`);
    });
    await tab.goto(`${pageBase}/`);
    await tab.waitForFunction(() => 'startCollector' in window);
    await tab.evaluate(
      async (url) => {
        const w = window as unknown as { startCollector(o: unknown): { stop(): Promise<void> } };
        const c = w.startCollector({ url, flushMs: 60_000 });
        console.log('one %s', 'two', { a: 1 });
        console.group('g');
        console.warn('inside');
        console.groupEnd();
        await c.stop();
        console.log('after stop');
      },
      `http://127.0.0.1:${await freePort()}`,
    );
    await tab.close();
    expect(seen).toEqual([
      'log:one %s two {a: 1}',
      'startGroup:g',
      'warning:inside',
      'endGroup:console.groupEnd',
      'log:after stop',
    ]);
  });
});
