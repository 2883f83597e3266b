/**
 * Both exports of logs made by the real conductor (the demo simulator, 2 sessions, indexed code) opened in the
 * speedscope app itself (the `speedscope` devDependency's built app, served from a local http server, nothing
 * fetched from the network), in headless Chromium. What speedscope made of each file is read back through its
 * own Export button: the file it saves holds the frames it built and, per profile, its duration
 * (`endValue - startValue`), i.e. what its views show. Screenshots go to test-artifacts/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byStartTime } from '../../src/analyses/trace-data.js';
import { type ChromeTrace, toChromeTrace } from '../../src/exports/chrome-trace.js';
import { type SpeedscopeFile, type SpeedscopeProfile, toSpeedscope } from '../../src/exports/speedscope.js';
import { findChromium, launchChromium } from '../../src/reports/timeline-browser.js';
import { type DemoTrace, demoTrace } from '../demo/demo-trace.js';

const SPEEDSCOPE_APP = resolve('node_modules/speedscope/dist/release');
const SCREENSHOTS = resolve('test-artifacts/screenshots');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};
const chromiumPath = findChromium();

let demo: DemoTrace;
let speedscope: SpeedscopeFile;
let trace: ChromeTrace;
let server: Server;
let origin = '';

beforeAll(async () => {
  demo = await demoTrace({ sessions: 2, seed: 5 });
  speedscope = toSpeedscope(demo.data, { codeIndex: demo.code, name: 'demo.speedscope.json' });
  trace = toChromeTrace(demo.data);
  const exported: Record<string, string> = {
    '/exports/demo.speedscope.json': JSON.stringify(speedscope),
    '/exports/demo-trace.json': JSON.stringify(trace),
  };
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const body = exported[path];
    if (body !== undefined) return void res.writeHead(200, { 'content-type': TYPES['.json']! }).end(body);
    const file = join(SPEEDSCOPE_APP, path === '/' ? 'index.html' : path);
    if (!file.startsWith(SPEEDSCOPE_APP)) return void res.writeHead(403).end();
    readFile(file).then(
      (data) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(data),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  await demo?.cleanup();
});

/** Opens a served file in speedscope, waits for its flame chart, returns the page and what Export saves. */
async function openInSpeedscope(browser: Browser, file: string, shot: string) {
  const page: Page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  const url = `${origin}/exports/${file}`;
  await page.goto(`${origin}/index.html#profileURL=${encodeURIComponent(url)}`);
  await page.getByText(/^\W*Export$/).waitFor({ timeout: 30_000 });
  await page.locator('canvas').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOTS, shot) });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByText(/^\W*Export$/).click()]);
  const saved = JSON.parse(await readFile((await download.path())!, 'utf8')) as SpeedscopeFile;
  const toolbar = await page.locator('body').textContent();
  // Left heavy: every run of a frame merged, what frame sharing is for.
  await page.getByText(/^\W*Left Heavy$/).click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOTS, shot.replace('.png', '-left-heavy.png')) });
  await page.close();
  return { saved, errors, toolbar };
}

/** The profile without its zero-length calls. */
function withTime(profile: SpeedscopeProfile): SpeedscopeProfile {
  const keep = new Set<number>();
  const open: number[] = [];
  profile.events.forEach((e, i) => {
    if (e.type === 'O') open.push(i);
    else {
      const o = open.pop()!;
      if (e.at > profile.events[o]!.at) keep.add(o).add(i);
    }
  });
  return { ...profile, events: profile.events.filter((_, i) => keep.has(i)) };
}

describe.skipIf(chromiumPath === null)('exports opened in speedscope 1.25', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
  }, 60_000);
  afterAll(async () => browser?.close());

  it('opens the speedscope export with one frame per handler, topic and sequence, each session its own span', async () => {
    const { saved, errors, toolbar } = await openInSpeedscope(browser, 'demo.speedscope.json', 'speedscope-export.png');
    expect(errors).toEqual([]);
    // The toolbar names the profile shown and how many there are.
    expect(toolbar).toContain(`${speedscope.profiles[0]!.name} (1/${speedscope.profiles.length})`);
    expect(saved.profiles.map((p) => p.name)).toEqual(speedscope.profiles.map((p) => p.name));
    // speedscope keeps frames per profile (its Export lists each profile's own), so compare profile by profile:
    // the frames it built for a session are the distinct frames of that session, name, file and line included.
    const framesOf = (f: SpeedscopeFile, p: SpeedscopeProfile) =>
      [...new Set(p.events.map((e) => e.frame))]
        .map((i) => f.shared.frames[i]!)
        .map((x) => `${x.name} ${x.file}:${x.line}`);
    for (const [i, p] of saved.profiles.entries()) {
      const ours = speedscope.profiles[i]!;
      const frames = framesOf(saved, p);
      // Shared: a handler that ran n times is one frame, not n (the Chrome trace gives one per run).
      expect(frames.length).toBeLessThan(p.events.filter((e) => e.type === 'O').length / 1.5);
      expect(new Set(frames).size).toBe(frames.length);
      // speedscope drops calls of zero length (opened and closed at the same ms): it shows the frames with time.
      expect(frames.sort()).toEqual(framesOf(speedscope, withTime(ours)).sort());
      expect(p.endValue - p.startValue).toBeCloseTo(ours.endValue - ours.startValue, 2);
      // The session's own span, not the whole store's: a few seconds of demo session, not the gap between them.
      const session = [...demo.data.sessions].sort(byStartTime)[i]!;
      expect(p.endValue - p.startValue).toBeGreaterThanOrEqual(session.endMs! - session.startMs! - 0.01);
    }
  }, 60_000);

  it('opens the Chrome trace: one profile per thread with slices, frames keyed by name and args', async () => {
    const { saved, errors } = await openInSpeedscope(browser, 'demo-trace.json', 'speedscope-chrome-trace.png');
    expect(errors).toEqual([]);
    const slices = trace.traceEvents.filter((e) => e.ph === 'X');
    const threads = new Set(slices.map((e) => `${e.pid}/${e.tid}`));
    expect(saved.profiles).toHaveLength(threads.size);
    // speedscope's Chrome importer names a frame `name JSON(args)`: per-run ids in args make per-run frames.
    const keys = new Set(slices.map((e) => (e.args ? `${e.name} ${JSON.stringify(e.args)}` : e.name)));
    expect(saved.shared.frames).toHaveLength(keys.size);
    expect(saved.shared.frames.every((f) => slices.some((e) => f.name.startsWith(`${e.name} {`)))).toBe(true);
    // Each thread's profile spans that thread's own slices (µs), not the whole trace.
    for (const p of saved.profiles) {
      const [, pid, tid] = /\(pid (\d+)\), .* \(tid (\d+)\)$/.exec(p.name)!;
      const own = slices.filter((e) => e.pid === Number(pid) && e.tid === Number(tid));
      const span = Math.max(...own.map((e) => e.ts + e.dur!)) - Math.min(...own.map((e) => e.ts));
      expect(p.endValue - p.startValue).toBeCloseTo(span, 0);
    }
  }, 60_000);
});
