import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../analyses/timeline.js';
import { beatRun, handlerRun, sequenceRun, session, traceData } from '../analyses/trace-fixtures.js';
import { packTimeline } from '../reports/timeline-pack.js';
import { alignSessions } from './timeline-align.js';
import { buildModel, openingView, opensAligned } from './timeline-model.js';
import { decodePayload } from './timeline-unpack.js';

const T0 = 1_000_000;
const DAY = 86_400_000;

/** Three app starts a day apart; only the second ran a sequence (the others printed other output). */
async function model() {
  const data = traceData({
    sessions: [
      session('s1', T0, T0 + 500),
      session('s2', T0 + DAY, T0 + DAY + 1000),
      session('s3', T0 + 2 * DAY, null),
    ],
    runs: [sequenceRun('s2:r1', { sessionId: 's2', startMs: T0 + DAY + 10, endMs: T0 + DAY + 100, durationMs: 90 })],
    beats: [
      beatRun('s2:r1:b1', 's2:r1', { sessionId: 's2', startMs: T0 + DAY + 10, durationMs: 20, handlers: ['load'] }),
    ],
    handlerRuns: [
      handlerRun('s2:h1', 'load', {
        sessionId: 's2',
        beatRunId: 's2:r1:b1',
        sequenceRunId: 's2:r1',
        settledMs: T0 + DAY + 28,
        durationMs: 18,
      }),
    ],
  });
  return buildModel(await decodePayload(await packTimeline(buildTimeline(data))));
}

/** One app start of one instant (a log's first and last line) whose beat ran 4 ms after it, then another. */
async function instantSession() {
  const data = traceData({
    sessions: [session('s1', T0, T0), session('s2', T0 + DAY, T0 + DAY)],
    beats: [beatRun('s1:b1', 's1:r0', { sessionId: 's1', sequenceRunId: null, startMs: T0 + 4, durationMs: 0 })],
  });
  return buildModel(await decodePayload(await packTimeline(buildTimeline(data))));
}

/** Two sessions that each ran a sequence (`s1` then `s2`), `apart` ms from start to start, each 1 s long. */
async function twoSessions(apart: number) {
  const sessions = ['s1', 's2'].map((id, k) => ({ id, t: T0 + k * apart }));
  const data = traceData({
    sessions: sessions.map(({ id, t }) => session(id, t, t + 1000)),
    runs: sessions.map(({ id, t }) =>
      sequenceRun(`${id}:r1`, { sessionId: id, startMs: t + 10, endMs: t + 900, durationMs: 890 }),
    ),
    beats: sessions.map(({ id, t }) =>
      beatRun(`${id}:r1:b1`, `${id}:r1`, { sessionId: id, startMs: t + 10, durationMs: 800 }),
    ),
  });
  return decodePayload(await packTimeline(buildTimeline(data)));
}

describe('timeline model', () => {
  it('opens sessions aligned at their starts when they cover under a tenth of the time they span', async () => {
    // Sessions of 1 s each: over 11 s they cover 18% of it (one axis reads well), over 21 s 9.5%.
    expect(opensAligned(buildModel(await twoSessions(10_000)))).toBe(false);
    expect(opensAligned(buildModel(await twoSessions(20_000)))).toBe(true);
    expect(opensAligned(buildModel(await twoSessions(DAY)))).toBe(true);
    // One session with something drawn (the others printed other output): nothing to align.
    expect(opensAligned(await model())).toBe(false);
  });

  it('opens an aligned timeline on every session from their common start, scrolled to the top', async () => {
    const data = await twoSessions(DAY);
    const m = buildModel(alignSessions(data));
    expect([...m.data.sessions.start]).toEqual([0, 0]);
    // Both sessions span 0..1000 ms on the aligned axis: 2% margins around it.
    expect(openingView(m, true)).toEqual({
      start: m.min - (m.max - m.min) * 0.02,
      end: m.max + (m.max - m.min) * 0.02,
      scrollY: 0,
    });
    expect(m.max - m.min).toBe(1000);
    // Unaligned, the same data opens on its first session alone.
    const unaligned = openingView(buildModel(data));
    expect(unaligned.end - unaligned.start).toBeCloseTo(1040, 9);
  });

  it('draws a session with nothing in its lanes as its header bar alone', async () => {
    const m = await model();
    expect(m.rows.map((r) => `${r.session}:${r.kind}`)).toEqual([
      '0:session',
      '1:session',
      '1:run',
      '1:beat',
      '1:handler',
      '2:session',
    ]);
  });

  it('opens on the first session with something drawn, scrolled to it', async () => {
    const m = await model();
    const header = m.rows.find((r) => r.kind === 'session' && r.session === 1)!;
    const view = openingView(m);
    expect(view.scrollY).toBe(header.y);
    expect(view.scrollY).toBeGreaterThan(0);
    // Session 2's span (relative to the trace start) with 2% margins.
    const [start, end] = [m.data.sessions.start[1]!, m.data.sessions.end[1]!];
    expect(end - start).toBe(1000);
    expect(view).toEqual({ start: start - 20, end: end + 20, scrollY: header.y });
  });

  it('opens on what a session of one instant drew, at least 10 ms wide', async () => {
    const m = await instantSession();
    const beatAt = m.beatStart[0]!;
    expect(beatAt - m.data.sessions.start[0]!).toBe(4);
    const view = openingView(m);
    // 0..4 ms widened to 10 ms around its middle (-3..7), then 2% margins.
    expect(view.start).toBeCloseTo(m.data.sessions.start[0]! - 3.2, 9);
    expect(view.end).toBeCloseTo(beatAt + 3.2, 9);
    expect(view.scrollY).toBe(0);
  });
});
