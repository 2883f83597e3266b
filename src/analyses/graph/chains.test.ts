import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BeatRun, SequenceRun } from '../../model/index.js';
import { beatRun, sequenceRun } from '../trace-fixtures.js';
import { type Chain, findChains, requestEpochMs } from './chains.js';

/** Epoch ms of the fixtures' day: request ids carry 13 digits. */
const T0 = 1_764_000_000_000;

/** The rule written plainly (every beat of the session tried for every run): what findChains must equal. */
function chainsByScan(runs: readonly SequenceRun[], beats: readonly BeatRun[]): Chain[] {
  const runById = new Map(runs.map((r) => [r.id, r]));
  const chains: Chain[] = [];
  for (const child of runs) {
    const t = requestEpochMs(child.requestId);
    if (t === null) continue;
    let best: BeatRun | undefined;
    for (const b of beats) {
      if (b.startMs === null || b.endMs === null || b.sequenceRunId === null || b.sessionId !== child.sessionId)
        continue;
      if (b.sequenceRunId === child.id || b.startMs >= t || b.endMs < t) continue;
      if (!best || b.startMs > best.startMs! || (b.startMs === best.startMs && b.span.startLine > best.span.startLine))
        best = b;
    }
    const parent = best ? runById.get(best.sequenceRunId!) : undefined;
    if (parent && parent.id !== child.id) chains.push({ parent, child });
  }
  return chains;
}

const ids = (chains: readonly Chain[]) => chains.map((c) => `${c.parent.id}>${c.child.id}`);

describe('findChains', () => {
  it('takes the innermost beat containing the enqueue time, never one of the run itself, start excluded', () => {
    const runs = [
      sequenceRun('outer'),
      sequenceRun('inner'),
      sequenceRun('child', { requestId: `load-symphony-${T0 + 15}-abc123` }),
      sequenceRun('at-start', { requestId: `load-symphony-${T0 + 10}-abc124` }),
      sequenceRun('between', { requestId: `load-symphony-${T0 + 40}-abc125` }),
      sequenceRun('other-session', { sessionId: 's2', requestId: `load-symphony-${T0 + 15}-abc126` }),
    ];
    const beats = [
      beatRun('b-outer', 'outer', { startMs: T0, endMs: T0 + 30 }),
      beatRun('b-inner', 'inner', { startMs: T0 + 10, endMs: T0 + 20 }),
      beatRun('b-self', 'child', { startMs: T0 + 12, endMs: T0 + 16 }),
    ];
    expect(ids(findChains(runs, beats))).toEqual(['inner>child', 'outer>at-start']);
  });

  it('finds the same chains as trying every beat for every run', () => {
    const beatArb = fc.record({
      run: fc.integer({ min: 0, max: 5 }),
      session: fc.constantFrom('s1', 's2'),
      start: fc.integer({ min: 0, max: 20 }),
      length: fc.integer({ min: 0, max: 25 }),
      line: fc.integer({ min: 1, max: 2 }),
      dated: fc.boolean(),
    });
    const runArb = fc.record({
      session: fc.constantFrom('s1', 's2'),
      enqueued: fc.option(fc.integer({ min: 0, max: 40 })),
    });
    fc.assert(
      fc.property(fc.array(runArb, { minLength: 6, maxLength: 6 }), fc.array(beatArb, { maxLength: 40 }), (rs, bs) => {
        const runs = rs.map((r, i) =>
          sequenceRun(`r${i}`, {
            sessionId: r.session,
            requestId: r.enqueued === null ? null : `load-symphony-${T0 + r.enqueued}-x${i}`,
          }),
        );
        const beats = bs.map((b, i) =>
          beatRun(`b${i}`, `r${b.run}`, {
            sessionId: b.session,
            startMs: b.dated ? T0 + b.start : null,
            endMs: b.dated ? T0 + b.start + b.length : null,
            span: { fileId: 'f1', startLine: b.line, endLine: b.line },
          }),
        );
        expect(ids(findChains(runs, beats))).toEqual(ids(chainsByScan(runs, beats)));
      }),
      { numRuns: 2000 },
    );
  });
});
