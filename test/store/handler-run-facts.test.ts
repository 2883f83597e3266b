import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beatRun, handlerRun, sequenceRun } from '../../src/analyses/trace-fixtures.js';
import type { BeatRun, HandlerRun, SequenceRun } from '../../src/model/index.js';
import { FACT_BATCH, factOf, factsOf } from '../../src/store/handler-run-facts.js';

/** The join written plainly: beats, runs and each beat's longest handler time looked up by id per handler run. */
function factsById(handlerRuns: readonly HandlerRun[], beats: readonly BeatRun[], runs: readonly SequenceRun[]) {
  const beatById = new Map(beats.map((b) => [b.id, b]));
  const runById = new Map(runs.map((r) => [r.id, r]));
  const longest = new Map<string, number>();
  for (const h of handlerRuns) {
    if (h.beatRunId === null || !beatById.has(h.beatRunId)) continue;
    if (h.durationMs === null || h.settledAfterBeat) continue;
    longest.set(h.beatRunId, Math.max(longest.get(h.beatRunId) ?? 0, h.durationMs));
  }
  const seen = new Set<string>();
  return handlerRuns.map((h) => {
    const beat = h.beatRunId === null ? undefined : beatById.get(h.beatRunId);
    const run = h.sequenceRunId === null ? undefined : runById.get(h.sequenceRunId);
    const first = beat !== undefined && !seen.has(beat.id);
    if (first) seen.add(beat.id);
    return factOf(h, beat, run, beat === undefined ? Number.NaN : (longest.get(beat.id) ?? Number.NaN), first);
  });
}

/** Ids drawn from a small set, so handler runs share beats, name missing ones, and ids repeat. */
const id = (prefix: string) => fc.integer({ min: 0, max: 6 }).map((n) => `${prefix}${n}`);

const drawn = fc.record({
  beats: fc.array(fc.record({ id: id('b'), run: id('r'), durationMs: fc.option(fc.integer({ min: 0, max: 90 })) })),
  runs: fc.array(fc.record({ id: id('r'), name: fc.constantFrom('Load', 'Save') })),
  handlerRuns: fc.array(
    fc.record({
      beat: fc.option(id('b')),
      run: fc.option(id('r')),
      durationMs: fc.option(fc.integer({ min: -5, max: 100 }).map((n) => n / 4)),
      late: fc.boolean(),
    }),
    { maxLength: 60 },
  ),
});

describe('factsOf', () => {
  it('joins each handler run with its beat and sequence run as a lookup by id does', () => {
    fc.assert(
      fc.property(drawn, (d) => {
        const beats = d.beats.map((b, i) =>
          beatRun(b.id, b.run, {
            durationMs: b.durationMs,
            startMs: 1000 + i,
            span: { fileId: 'f', startLine: i, endLine: i },
          }),
        );
        const runs = d.runs.map((r) => sequenceRun(r.id, { sequenceName: r.name, sequenceId: r.name.toLowerCase() }));
        const handlerRuns = d.handlerRuns.map((h, i) =>
          handlerRun(`h${i}`, `handler${i % 3}`, {
            beatRunId: h.beat,
            sequenceRunId: h.run,
            durationMs: h.durationMs,
            settledAfterBeat: h.late,
          }),
        );
        expect([...factsOf(handlerRuns, beats, runs)].flat()).toStrictEqual(factsById(handlerRuns, beats, runs));
      }),
      { numRuns: 300 },
    );
  });

  it('yields batches of FACT_BATCH facts, the last one shorter', () => {
    const runs = Array.from({ length: FACT_BATCH + 5 }, (_, i) => handlerRun(`h${i}`, 'a'));
    expect([...factsOf(runs, [], [])].map((b) => b.length)).toEqual([FACT_BATCH, 5]);
  });
});
