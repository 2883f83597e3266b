/**
 * Latency anomalies of a handler shared by two sequences, on logs of the real conductor (shared-handler-session.ts:
 * `render` takes ~2 ms in the thumbnails sequence, ~60 ms in the full-size one). Four ordinary sessions play mostly
 * thumbnails; one plays mostly full-size views, which is no episode, only another mix; one has a real episode of
 * slow thumbnails. Judged against one pooled history, the full-size session's renders sit far above the thumbnails'
 * usual time; judged per sequence (handler-histories.ts), only the thumbnails episode is found, and named by its
 * sequence.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingContext } from '../../src/analyses/findings/finding-context.js';
import { handlerHistories } from '../../src/analyses/findings/handler-histories.js';
import { latencyFindings } from '../../src/analyses/findings/latency-anomalies.js';
import { loadTraceData, type TraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { FileInfo } from '../../src/model/file-info.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

const SESSION = new URL('./shared-handler-session.ts', import.meta.url).pathname;
/** t: thumbnails (~2 ms of work), f: full size (~60 ms), T: thumbnails in an episode (~80 ms). */
const PLAYS = {
  'ordinary-1': 'ttfttfttttft',
  'ordinary-2': 'tttfttftttft',
  'ordinary-3': 'ttftttfttftt',
  'ordinary-4': 'tfttttfttftt',
  'full-size-day': 'tfffffffft',
  episode: 'ttttTTTTtttf',
};

const dir = mkdtempSync(join(tmpdir(), 'beatscope-shared-handler-'));
let data: TraceData;
let files: readonly FileInfo[];
beforeAll(async () => {
  for (const [name, plays] of Object.entries(PLAYS)) {
    execFileSync(process.execPath, ['--import', 'tsx', SESSION, join(dir, `${name}.log`), plays], { stdio: 'ignore' });
  }
  const store = new InMemoryStore();
  await ingest([dir], { store, workers: 0 });
  [data, files] = await Promise.all([loadTraceData(store), store.files()]);
  await store.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sessionOf = (name: string) => {
  const file = files.find((f) => f.path.endsWith(`/${name}.log`))!;
  return data.sessions.find((s) => s.fileId === file.fileId)!.id;
};

describe('a handler shared by two sequences', () => {
  it('is judged per sequence, since its times differ by sequence', () => {
    const ctx = findingContext(data, undefined, files);
    const renders = handlerHistories(ctx).filter((h) => h[0]!.handler === 'render');
    expect(renders.map((h) => h[0]!.sequenceName).sort()).toEqual(['Gallery Full Size', 'Gallery Thumbnails']);
    // Every timed render is in one of them, and each holds only its own sequence.
    const timed = data.handlerRuns.filter((r) => r.handler === 'render' && r.durationMs !== null);
    expect(renders.flat().length).toBe(timed.length);
    for (const h of renders) expect(new Set(h.map((r) => r.sequenceName)).size).toBe(1);
  });

  it('finds the thumbnails episode, named by its sequence, and nothing in the session that played more full-size views', () => {
    const ctx = findingContext(data, undefined, files);
    const found = latencyFindings(ctx).filter((f) => f.handler === 'render');
    expect(found.map((f) => ({ session: f.sessions[0], sequence: f.sequence }))).toEqual([
      { session: sessionOf('episode'), sequence: 'gallery-thumbnails-symphony' },
    ]);
    expect(found[0]!.latency!.executions).toBeGreaterThanOrEqual(3);
    expect(found[0]!.latency!.baselineMedianMs).toBeLessThan(found[0]!.latency!.windowMedianMs - 35);
  });
});
