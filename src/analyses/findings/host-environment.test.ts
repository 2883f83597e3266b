/**
 * The host environment on small inline traces: sessions that alternate plays of two sequences, A (handlers h and
 * g, one beat each) and B (handlers b1 and b2). What is shared by every sequence around a moment is the host;
 * what only one sequence's runs carry is an episode, even when it slows two of its handlers together.
 */
import { describe, expect, it } from 'vitest';
import type { BeatRun, HandlerRun, SequenceRun } from '../../model/entities.js';
import type { TraceData } from '../trace-data.js';
import { findingContext } from './finding-context.js';
import { hostEnvironment, runEnvironment } from './host-environment.js';
import { latencyFindings } from './latency-anomalies.js';

const HANDLERS = { A: ['h', 'g'], B: ['b1', 'b2'] } as const;
type Seq = keyof typeof HANDLERS;

/** One play: a sequence run and its handlers' executions, `times` in the order of HANDLERS[seq], ms. */
interface Play {
  seq: Seq;
  times: readonly number[];
  /** Starts 5 ms after the play before it, instead of 10 s (concurrent plays: the runs overlap). */
  concurrent?: boolean;
}

interface Session {
  runs: SequenceRun[];
  beats: BeatRun[];
  handlerRuns: HandlerRun[];
}

/**
 * A session's plays 10 s apart on the log's clock, each handler in its own beat, beats 100 ms apart: a handler
 * settles `times[k]` ms after its beat started: before the next beat starts when it is under 100 ms (a
 * synchronous handler), after it when over (an async handler the beat did not await).
 */
function session(n: number, plays: readonly Play[]): Session {
  const sessionId = `f${n}:s0`;
  const runs: SequenceRun[] = [];
  const beats: BeatRun[] = [];
  const handlerRuns: HandlerRun[] = [];
  let line = 0;
  let previousStartMs = 0;
  plays.forEach(({ seq, times, concurrent }, i) => {
    const startMs = concurrent ? previousStartMs + 5 : 1_000_000 * n + 10_000 * i;
    previousStartMs = startMs;
    const id = `${sessionId}:r${i}`;
    line++;
    runs.push({
      kind: 'sequence-run',
      id,
      sessionId,
      sequenceName: `Seq ${seq}`,
      sequenceId: `seq-${seq}`,
      pluginId: 'P',
      requestId: `req-${n}-${i}`,
      correlationId: null,
      priority: null,
      status: 'completed',
      startMs,
      endMs: startMs + 100,
      durationMs: 100,
      durationSource: 'timestamps',
      movementCount: 1,
      beatCount: times.length,
      error: null,
      span: { fileId: `f${n}`, startLine: line, endLine: line + times.length + 1 },
    });
    HANDLERS[seq].forEach((handler, k) => {
      line++;
      const beatStartMs = startMs + 100 * k;
      beats.push({
        kind: 'beat-run',
        id: `${id}:b${k}`,
        sequenceRunId: id,
        movementRunId: null,
        sessionId,
        sequenceName: `Seq ${seq}`,
        beat: k + 1,
        position: k + 1,
        event: `p:${handler}`,
        title: null,
        handlers: [handler],
        pluginId: 'P',
        status: 'completed',
        startMs: beatStartMs,
        endMs: beatStartMs + 16,
        durationMs: 16,
        durationSource: 'timestamps',
        error: null,
        batonUnchanged: 0,
        batonSettledMs: null,
        span: { fileId: `f${n}`, startLine: line, endLine: line },
      });
      handlerRuns.push({
        kind: 'handler-run',
        id: `${sessionId}:h${line}`,
        sessionId,
        handler,
        pluginId: 'P',
        event: `p:${handler}`,
        sequenceName: `Seq ${seq}`,
        requestId: `req-${n}-${i}`,
        beatRunId: `${id}:b${k}`,
        sequenceRunId: id,
        status: 'ok',
        settledMs: beatStartMs + times[k]!,
        durationMs: times[k]!,
        durationSource: 'timestamps',
        settledAfterBeat: false,
        line,
      });
    });
  });
  return { runs, beats, handlerRuns };
}

function trace(sessions: readonly Session[]): TraceData {
  const empty = { sessions: [], mounts: [], registrations: [], subscriptions: [], publishes: [] };
  return {
    ...empty,
    runs: sessions.flatMap((s) => s.runs),
    movements: [],
    beats: sessions.flatMap((s) => s.beats),
    handlerRuns: sessions.flatMap((s) => s.handlerRuns),
    batons: [],
    errors: [],
    gaps: [],
    messages: [],
  };
}

/** Four plays of A between plays of B; `a(i)` and `b(i)` give the i-th play's times. */
function alternating(a: (i: number) => number[], b: (i: number) => number[]): Play[] {
  return [0, 1, 2, 3].flatMap((i) => [
    { seq: 'B' as const, times: b(i) },
    { seq: 'A' as const, times: a(i) },
  ]);
}

const quiet = alternating(
  (i) => [10 + (i % 2), 12],
  (i) => [8, 9 + (i % 2)],
);
const baseline = [1, 2, 3].map((n) => session(n, quiet));

describe('host environment', () => {
  it('reads an episode of two handlers of one sequence as theirs, not as host load', () => {
    // Session 4: h and g of A are both ~40 ms slower in A's last three plays; B's handlers run as usual.
    const episode = session(
      4,
      alternating(
        (i) => (i === 0 ? [10, 12] : [50, 53]),
        () => [8, 9],
      ),
    );
    const ctx = findingContext(trace([...baseline, episode]), undefined, []);
    const slowH = episode.handlerRuns.filter((r) => r.handler === 'h').slice(1);
    // The rule before: g's excess in the same run reads as the host's, so h's 40 ms vanish.
    expect(slowH.map(runEnvironment(ctx))).toEqual([41, 41, 41]);
    // Read from B's runs around it, the host was as usual.
    expect(slowH.map(hostEnvironment(ctx))).toEqual([0, 0, 0]);
    expect(latencyFindings(ctx, runEnvironment(ctx))).toEqual([]);
    const found = latencyFindings(ctx);
    expect(found.map((f) => [f.handler, f.sessions[0], f.count, f.latency?.windowMedianMs])).toEqual([
      ['h', 'f4:s0', 3, 50],
      ['g', 'f4:s0', 3, 53],
    ]);
  });

  it('discounts host load that slows every sequence around the same plays', () => {
    // Session 5: from the second play of A on, every handler of A and B is ~40 ms slower.
    const loaded = session(
      5,
      alternating(
        (i) => (i === 0 ? [10, 12] : [50, 53]),
        (i) => (i <= 1 ? [8, 9] : [48, 50]),
      ),
    );
    const ctx = findingContext(trace([...baseline, loaded]), undefined, []);
    const env = hostEnvironment(ctx);
    expect(loaded.handlerRuns.filter((r) => r.handler === 'h').map(env)).toEqual([20, 20, 20, 40]);
    expect(latencyFindings(ctx)).toEqual([]);
  });

  it('falls back to the run rule where no other sequence ran in the session', () => {
    const alone = session(
      6,
      [0, 1, 2, 3].map((i) => ({ seq: 'A' as const, times: i === 0 ? [10, 12] : [50, 53] })),
    );
    const ctx = findingContext(trace([...baseline, alone]), undefined, []);
    const runs = alone.handlerRuns.filter((r) => r.handler === 'h');
    expect(runs.map(hostEnvironment(ctx))).toEqual(runs.map(runEnvironment(ctx)));
  });

  it('leaves a handler held back by an earlier async handler of its runs to that handler', () => {
    // Session 7: h is async and settles 150 ms after its beat started, after g's beat (at 100 ms) began; g's
    // DataBaton line waits for h's on the request's chain, so g logs 55 ms instead of 12. One episode: h's.
    const held = session(
      7,
      alternating(
        (i) => (i === 0 ? [10, 12] : [150, 55]),
        () => [8, 9],
      ),
    );
    const found = latencyFindings(findingContext(trace([...baseline, held]), undefined, []));
    expect(found.map((f) => [f.handler, f.sessions[0], f.count])).toEqual([['h', 'f7:s0', 3]]);
  });

  it('leaves runs overlapping the execution’s run out: they share its thread, and so its episode', () => {
    // Session 8: as session 4, and each slowed play of A has a play of B running alongside that its blocked
    // thread slows by as much; the B plays between them ran as usual.
    const plays = alternating(
      (i) => (i === 0 ? [10, 12] : [50, 53]),
      () => [8, 9],
    ).flatMap((p, k) => (p.seq === 'A' && k > 1 ? [p, { seq: 'B' as const, times: [48, 49], concurrent: true }] : [p]));
    const blocked = session(8, plays);
    const ctx = findingContext(trace([...baseline, blocked]), undefined, []);
    expect(blocked.handlerRuns.filter((r) => r.handler === 'h').map(hostEnvironment(ctx))).toEqual([0, 0, 0, 0]);
    expect(latencyFindings(ctx).map((f) => [f.handler, f.sessions[0], f.count])).toEqual([
      ['h', 'f8:s0', 3],
      ['g', 'f8:s0', 3],
    ]);
  });
});
