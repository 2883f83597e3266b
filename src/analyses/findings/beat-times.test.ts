import { describe, expect, it } from 'vitest';
import { beatRun } from '../trace-fixtures.js';
import { BeatTimes } from './root-cause.js';

let made = 0;
const beat = (sequenceName: string | null, n: number, durationMs: number | null, sequenceRunId: string | null = 'r') =>
  beatRun(`b${++made}`, sequenceRunId ?? '', { sequenceName, beat: n, durationMs, sequenceRunId });

describe('slow beats: a slot is a sequence and a beat number', () => {
  it('is slow over its 90th percentile and 10 ms over its median, from 10 times on', () => {
    const times = new BeatTimes();
    // Interleaved sequences, as runs of different sequences come: each slot keeps its own times.
    const batch = [];
    for (let i = 1; i <= 10; i++) {
      batch.push(beat('Load', 1, i * 10), beat('Load', 2, 20), beat(null, 1, 5));
      if (i < 10) batch.push(beat('Save', 1, 1000));
    }
    // Not beats of a sequence run, or untimed: left out.
    batch.push(beat('Load', 1, 5000, null), beat('Load', 1, null));
    times.add(batch.slice(0, 7));
    times.add(batch.slice(7));
    // 10..100 ms: median 55, 90th percentile 91 (interpolated) — over both.
    expect(times.slowOver(beat('Load', 1, 0))).toBe(91);
    // Always 20 ms: the median plus 10 ms.
    expect(times.slowOver(beat('Load', 2, 0))).toBe(30);
    // No sequence name is a slot of its own.
    expect(times.slowOver(beat(null, 1, 0))).toBe(15);
    // 9 times are too few to say; a slot never seen neither.
    expect(times.slowOver(beat('Save', 1, 0))).toBeUndefined();
    expect(times.slowOver(beat('Load', 3, 0))).toBeUndefined();
  });
});
