/**
 * The anomaly finders' rules on small inline traces (their accuracy on real conductor logs is measured in
 * src/bench/findings-accuracy.test.ts): what makes a latency window and an error burst, and what does not.
 */
import { describe, expect, it } from 'vitest';
import type { HandlerRun } from '../../model/entities.js';
import type { TraceData } from '../trace-data.js';
import { errorBurstFindings } from './error-bursts.js';
import { findingContext } from './finding-context.js';
import { latencyFindings } from './latency-anomalies.js';

let line = 0;
function run(session: number, handler: string, durationMs: number, status: 'ok' | 'error' = 'ok'): HandlerRun {
  line++;
  return {
    kind: 'handler-run',
    id: `f${session}:s0:h${line}`,
    sessionId: `f${session}:s0`,
    handler,
    pluginId: 'P',
    event: `p:${handler}`,
    sequenceName: 'Seq',
    requestId: `req-${line}`,
    beatRunId: null,
    sequenceRunId: `f${session}:s0:r${line}`,
    status,
    settledMs: 1_000_000 * session + line * 1000,
    durationMs,
    durationSource: 'timestamps',
    settledAfterBeat: false,
    line,
  };
}

function trace(handlerRuns: HandlerRun[]): TraceData {
  const empty = { sessions: [], mounts: [], registrations: [], subscriptions: [], publishes: [], runs: [] };
  return { ...empty, movements: [], beats: [], handlerRuns, batons: [], errors: [], gaps: [], messages: [] };
}

const usual = [9, 10, 11, 10];

describe('latency anomalies', () => {
  it('report three consecutive slow executions against the handler’s other sessions', () => {
    const runs = [
      ...[1, 2, 3].flatMap((s) => usual.map((d) => run(s, 'h', d))),
      ...[10, 48, 52, 50].map((d) => run(4, 'h', d)),
    ];
    const found = latencyFindings(findingContext(trace(runs), undefined, []));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'latency-anomaly', handler: 'h', count: 3, sessions: ['f4:s0'] });
    expect(found[0]!.latency).toMatchObject({ executions: 3, windowMedianMs: 50, baselineExecutions: 12 });
    expect(found[0]!.evidence.map((e) => e.requestId)).toEqual(runs.slice(13).map((r) => r.requestId));
  });

  it('leave an always-slow handler, two slow executions and a 1 ms wobble alone', () => {
    const slow = [1, 2, 3, 4].flatMap((s) => [200, 210, 205, 199].map((d) => run(s, 'relax', d)));
    const twice = [
      ...[1, 2, 3].flatMap((s) => usual.map((d) => run(s, 'h', d))),
      ...[10, 60, 10, 60].map((d) => run(4, 'h', d)),
    ];
    const wobble = [
      ...[1, 2, 3].flatMap((s) => [5, 5, 5, 5].map((d) => run(s, 'w', d))),
      ...[7, 7, 7].map((d) => run(4, 'w', d)),
    ];
    expect(latencyFindings(findingContext(trace([...slow, ...twice, ...wobble]), undefined, []))).toEqual([]);
  });

  it('discount a stretch where every handler of the same sequence runs was slow (host load, not the handler)', () => {
    // Handler h and two others run in the same sequence runs, each in its own beat; in session 4 all three are
    // ~40 ms slower in the same runs: the host was slow, not h. When only h is slow, it is h's episode.
    const play = (session: number, times: readonly [number, number, number]) => {
      const [h, a, b] = [run(session, 'h', times[0]), run(session, 'a', times[1]), run(session, 'b', times[2])];
      const same = { sequenceRunId: h.sequenceRunId, requestId: h.requestId };
      return [
        { ...h, beatRunId: `${h.id}:b0` },
        { ...a, ...same, beatRunId: `${h.id}:b1` },
        { ...b, ...same, beatRunId: `${h.id}:b2` },
      ];
    };
    const baseline = [1, 2, 3].flatMap((s) => usual.flatMap((d) => play(s, [d, d + 5, d + 7])));
    const loaded = [10, 48, 52, 50].flatMap((d) => play(4, [d, d + 5, d + 7]));
    expect(latencyFindings(findingContext(trace([...baseline, ...loaded]), undefined, []))).toEqual([]);
    const episode = [10, 48, 52, 50].flatMap((d) => play(5, [d, 15, 17]));
    const found = latencyFindings(findingContext(trace([...baseline, ...episode]), undefined, []));
    expect(found.map((f) => [f.handler, f.sessions[0], f.count])).toEqual([['h', 'f5:s0', 3]]);
  });
});

describe('error bursts', () => {
  it('report errors clustered in one session against the handler’s rate elsewhere', () => {
    const runs = [
      ...[1, 2, 3, 4, 5].flatMap((s) => [0, 0, 0, 0].map(() => run(s, 'b', 5))),
      ...['ok', 'error', 'error', 'error', 'error'].map((st) => run(6, 'b', 5, st as 'ok' | 'error')),
    ];
    const found = errorBurstFindings(findingContext(trace(runs), undefined, []));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'error-burst', handler: 'b', count: 4, rate: 1, sessions: ['f6:s0'] });
    expect(found[0]!.burst).toMatchObject({
      windowErrors: 4,
      windowExecutions: 4,
      elsewhereErrors: 0,
      elsewhereExecutions: 21,
    });
  });

  it('leave a steady error rate alone', () => {
    const runs = [1, 2, 3, 4, 5, 6].flatMap((s) =>
      (['ok', 'error', 'ok', 'ok'] as const).map((st) => run(s, 'steady', 5, st)),
    );
    expect(errorBurstFindings(findingContext(trace(runs), undefined, []))).toEqual([]);
  });
});
