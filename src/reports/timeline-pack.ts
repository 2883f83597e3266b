/**
 * The timeline as embedded in its page: the same columns with the monotone ones delta-encoded (handler-run
 * starts, their beat and each beat's run grow with position, so deltas are mostly 0-2 digits) and the
 * handler-run ids left out (the page never shows them). web/timeline-model.ts unpacks it.
 */
import type { TimelineData } from '../analyses/timeline.js';

export interface PackedTimeline extends Omit<TimelineData, 'handlerRuns' | 'beats'> {
  readonly packed: 1;
  readonly beats: Omit<TimelineData['beats'], 'run'> & { readonly runDelta: number[] };
  readonly handlerRuns: Omit<TimelineData['handlerRuns'], 'id' | 'start' | 'end' | 'beat'> & {
    readonly startDelta: number[];
    readonly length: number[];
    /** Deltas of beat + 1 (so "no beat", -1, packs as 0). */
    readonly beatDelta: number[];
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Deltas of consecutive values (first against 0), rounded to 0.001 like the axis values themselves. */
export function deltas(values: readonly number[], plus = 0): number[] {
  let previous = 0;
  return values.map((v) => {
    const d = round(v + plus - previous);
    previous = v + plus;
    return d;
  });
}

export function packTimeline(t: TimelineData): PackedTimeline {
  const { run, ...beats } = t.beats;
  const { id: _id, start, end, beat, ...handlerRuns } = t.handlerRuns;
  return {
    ...t,
    packed: 1,
    beats: { ...beats, runDelta: deltas(run, 1) },
    handlerRuns: {
      ...handlerRuns,
      startDelta: deltas(start),
      length: start.map((s, i) => round(end[i]! - s)),
      beatDelta: deltas(beat, 1),
    },
  };
}
