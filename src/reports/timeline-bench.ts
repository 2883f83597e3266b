/**
 * Timeline page benchmark for `npm run bench`: 100,000 synthetic beats (with handler runs, async handlers,
 * concurrent runs, errors and gaps) → timeline page → headless Chromium, then scripted drags while recording
 * requestAnimationFrame deltas (frame time as the user sees it) and the page's own draw times.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildTimeline } from '../analyses/timeline.js';
import type { TraceData } from '../analyses/trace-data.js';
import type { BeatRun, HandlerError, HandlerRun, SequenceRun, Session } from '../model/index.js';
import { renderTimelinePage } from './timeline/html-timeline.js';
import { findChromium, launchChromium } from './timeline-browser.js';

export interface TimelineBenchResult {
  readonly beats: number;
  /** requestAnimationFrame interval while dragging, ms (display-rate bound: ~16.7 at 60 Hz). */
  readonly frameMsP50: number;
  readonly frameMsP95: number;
  /** Time the page spent drawing one frame, ms. */
  readonly drawMsP50: number;
  readonly drawMsP95: number;
  readonly htmlBytes: number;
}

const T0 = Date.UTC(2026, 10, 20, 9);

/** `count` names made by `name`, each one string shared by every entity that carries it. */
function names(count: number, name: (i: number) => string): readonly string[] {
  return Array.from({ length: count }, (_, i) => name(i));
}

/**
 * `beats` beats in runs of 5, 4 sessions, one handler run per beat (every 7th async), 1 in 200 failing. Every
 * entity starts on its own log line, increasing in log order as an importer numbers them (session start, run
 * start, then per beat: beat start, handler run, its error, beat end; run end): a store's `placeOf`/`before`
 * window then cuts the trace between beats, as it does on a real log.
 */
export function syntheticTrace(beats = 100_000): TraceData {
  const sessions: Session[] = [];
  const runs: SequenceRun[] = [];
  const beatRuns: BeatRun[] = [];
  const handlerRuns: HandlerRun[] = [];
  const errors: HandlerError[] = [];
  const perSession = Math.ceil(beats / 4);
  // One string per distinct name, shared, as the stores' readers hand them over (DuckDB's interns each text
  // column's values): a name built per entity would make a million copies no store reads back.
  const handlerNames = names(60, (i) => `handler${i}`);
  const pluginIds = names(9, (i) => `Plugin${i}`);
  const events = names(80, (i) => `app:event:${i}`);
  const sequenceNames = names(25, (i) => `Sequence ${i}`);
  const sequenceIds = names(25, (i) => `sequence-${i}`);
  const beatTitles = names(5, (i) => `Beat ${i + 1}`);
  /** The next unused log line, 1-based. */
  let line = 1;
  let n = 0;
  for (let s = 0; n < beats; s++) {
    const sessionId = `bench:s${s}`;
    let t = T0 + s * 3_600_000;
    const sessionStart = { t, line: line++ };
    for (let r = 0; n < Math.min(beats, (s + 1) * perSession); r++) {
      const runId = `${sessionId}:r${r}`;
      const runStart = t;
      const runLine = line++;
      for (let b = 0; b < 5 && n < beats; b++, n++) {
        const id = `${runId}:b${b + 1}`;
        const beatLine = line++;
        const handlerLine = line++;
        const errorLine = n % 200 === 0 ? line++ : handlerLine;
        const span = { fileId: 'bench', startLine: beatLine, endLine: line++ };
        const dur = 2 + ((n * 7919) % 40) + (n % 997 === 0 ? 300 : 0);
        const handler = handlerNames[n % 60]!;
        const async = n % 7 === 0;
        beatRuns.push({
          kind: 'beat-run',
          id,
          sequenceRunId: runId,
          movementRunId: null,
          sessionId,
          sequenceName: sequenceNames[r % 25]!,
          beat: b + 1,
          position: b + 1,
          event: events[n % 80]!,
          title: beatTitles[b]!,
          handlers: [handler],
          pluginId: pluginIds[n % 9]!,
          status: 'completed',
          startMs: t,
          endMs: t + dur,
          durationMs: dur,
          durationSource: 'performance-tracker',
          error: null,
          batonUnchanged: 0,
          batonSettledMs: null,
          span,
        });
        handlerRuns.push({
          kind: 'handler-run',
          id: `${sessionId}:h${n}`,
          sessionId,
          handler,
          pluginId: pluginIds[n % 9]!,
          event: events[n % 80]!,
          sequenceName: sequenceNames[r % 25]!,
          requestId: runId,
          beatRunId: id,
          sequenceRunId: runId,
          status: n % 200 === 0 ? 'error' : 'ok',
          settledMs: t + dur - 1 + (async ? 120 : 0),
          durationMs: dur - 1 + (async ? 120 : 0),
          durationSource: 'timestamps',
          settledAfterBeat: async,
          line: handlerLine,
        });
        if (n % 200 === 0)
          errors.push({
            kind: 'handler-error',
            id: `${sessionId}:e${n}`,
            sessionId,
            pluginId: pluginIds[n % 9]!,
            handler,
            message: 'Error: synthetic',
            stack: [],
            beatRunId: id,
            sequenceRunId: runId,
            beatStillCompleted: true,
            timeMs: t + 1,
            line: errorLine,
          });
        t += dur + 1;
      }
      runs.push({
        kind: 'sequence-run',
        id: runId,
        sessionId,
        sequenceName: sequenceNames[r % 25]!,
        sequenceId: sequenceIds[r % 25]!,
        pluginId: 'Plugin0',
        requestId: runId,
        correlationId: null,
        priority: null,
        status: 'completed',
        startMs: runStart,
        endMs: t,
        durationMs: t - runStart,
        durationSource: 'beat-executor',
        movementCount: 1,
        beatCount: 5,
        error: null,
        span: { fileId: 'bench', startLine: runLine, endLine: line++ },
      });
      // Every 10th run is followed by a think-time gap; others overlap the next one slightly (concurrent lanes).
      t += r % 10 === 9 ? 5_000 : -3;
    }
    sessions.push({
      kind: 'session',
      id: sessionId,
      fileId: 'bench',
      index: s,
      startLine: sessionStart.line,
      endLine: line - 1,
      startMs: sessionStart.t,
      endMs: null,
      marker: 'file-start',
    });
  }
  return {
    sessions,
    mounts: [],
    registrations: [],
    subscriptions: [],
    publishes: [],
    runs,
    movements: [],
    beats: beatRuns,
    handlerRuns,
    batons: [],
    errors,
    gaps: [],
    messages: [],
  };
}

/** Records requestAnimationFrame deltas into `window.__frames` until `window.__recording` is cleared. */
const RECORD_FRAMES = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};

export async function benchTimeline(beats = 100_000): Promise<TimelineBenchResult> {
  const chromiumPath = findChromium();
  if (chromiumPath === null) throw new Error('no chromium binary: apt-get install -y chromium (or set CHROMIUM_PATH)');
  const dir = await mkdtemp(join(tmpdir(), 'beatscope-timeline-bench-'));
  const browser = await launchChromium(chromiumPath);
  try {
    const timeline = buildTimeline(syntheticTrace(beats));
    const ctx = {
      sourceLabel: 'synthetic',
      generatedAt: new Date().toISOString(),
      nav: [{ id: 'timeline', title: 'Timeline' }],
      pages: new Set(['timeline']),
    };
    const path = join(dir, 'timeline.html');
    await writeFile(path, await renderTimelinePage(ctx, timeline));
    const htmlBytes = (await stat(path)).size;
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(pathToFileURL(path).href);
    await page.waitForFunction(
      () => 'window' in globalThis && (window as { __timeline?: unknown }).__timeline !== undefined,
    );
    // Show a whole session (~25,000 beats: the density-bar path) then zoom in twice (the per-item path).
    await page.evaluate(() => (window as unknown as { __timeline: { fit(): void } }).__timeline.fit());
    const box = (await page.locator('#tl-canvas').boundingBox())!;
    const frames: number[] = [];
    for (const zoomSteps of [0, 3, 6]) {
      for (let z = 0; z < zoomSteps; z++) await page.click('#tl-zoom-in');
      // A string, not a function: tsx's esbuild would wrap named closures in a `__name` helper the page lacks.
      await page.evaluate(RECORD_FRAMES);
      const y = box.y + box.height / 2;
      for (let drag = 0; drag < 4; drag++) {
        await page.mouse.move(box.x + box.width * 0.7, y);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.3, y + 20, { steps: 30 });
        await page.mouse.up();
      }
      frames.push(
        ...(await page.evaluate(() => {
          const w = window as unknown as { __frames: number[]; __recording: boolean };
          w.__recording = false;
          return w.__frames.slice(2);
        })),
      );
    }
    const draws = await page.evaluate(() =>
      (window as unknown as { __timeline: { drawTimes(): number[] } }).__timeline.drawTimes(),
    );
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      beats: timeline.beats.startDelta.length,
      frameMsP50: round(pct(frames, 0.5)),
      frameMsP95: round(pct(frames, 0.95)),
      drawMsP50: round(pct(draws, 0.5)),
      drawMsP95: round(pct(draws, 0.95)),
      htmlBytes,
    };
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}
