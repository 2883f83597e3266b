/**
 * What the browser tests of `beatscope serve`'s pages share: a console made by the real conductor (the demo
 * simulator), a real DuckDB store (the demo app indexed into it when asked), the server in-process on
 * 127.0.0.1, headless Chromium, and a collector of page errors.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { indexInto } from '../../src/cli/index-into.js';
import { launchChromium } from '../../src/reports/timeline-browser.js';
import type { AlertEngine } from '../../src/serve/alert-engine.js';
import { createServeServer } from '../../src/serve/http-server.js';
import { LiveIngest } from '../../src/serve/live-ingest.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

export const SCREENSHOTS = resolve('test-artifacts/screenshots');

export interface ServePageOptions {
  /** Simulator seed of the console. */
  readonly seed: number;
  readonly token?: string;
  /** Index the demo app into the store (reports with code: coverage, flows' code checks). */
  readonly indexApp?: boolean;
  /** The alert engine the server serves, made on the store and following the live ingest. */
  readonly alerts?: (store: DuckDbStore, live: LiveIngest) => AlertEngine;
}

export interface ServePage {
  readonly dir: string;
  /** The console's lines, without their newlines. */
  readonly lines: readonly string[];
  readonly store: DuckDbStore;
  readonly live: LiveIngest;
  readonly base: string;
  readonly browser: Browser;
  /** POSTs `text` to /v1/lines as `source` (with the token) and expects a 200. */
  post(text: string, source: string): Promise<void>;
  close(): Promise<void>;
}

export async function startServePage(chromiumPath: string, options: ServePageOptions): Promise<ServePage> {
  const dir = await mkdtemp(join(tmpdir(), 'beatscope-serve-page-'));
  await simulate({ appDir: demoAppDir(), outDir: join(dir, 'logs'), sessions: 1, seed: options.seed });
  const log = (await readdir(join(dir, 'logs'))).find((f) => f.endsWith('.log'))!;
  const lines = (await readFile(join(dir, 'logs', log), 'utf8')).split('\n').slice(0, -1);
  await mkdir(join(dir, 'spool'));
  const store = await DuckDbStore.open(join(dir, 'live.duckdb'));
  if (options.indexApp) await indexInto(store, demoAppDir());
  const live = new LiveIngest(store, join(dir, 'spool'));
  await live.init();
  const alerts = options.alerts?.(store, live);
  const server: Server = createServeServer({
    store,
    live,
    maxBodyBytes: 4 << 20,
    ...(options.token !== undefined && { token: options.token }),
    ...(alerts !== undefined && { alerts }),
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium(chromiumPath);
  await mkdir(SCREENSHOTS, { recursive: true });
  const auth: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  return {
    dir,
    lines,
    store,
    live,
    base,
    browser,
    async post(text, source) {
      const r = await fetch(`${base}/v1/lines?source=${source}`, {
        method: 'POST',
        body: text,
        headers: { 'content-type': 'text/plain', ...auth },
      });
      expect(r.status).toBe(200);
    },
    async close() {
      await browser.close();
      server.close();
      server.closeAllConnections();
      await live.idle();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Page errors, console errors and dialogs (an injected `alert()`), as lines; expected to stay empty. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}
