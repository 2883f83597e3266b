import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../analyses/timeline.js';
import type { TimelineData } from '../analyses/timeline-types.js';
import { decodePayload } from '../web/timeline-unpack.js';
import { syntheticTrace } from './timeline-bench.js';
import { COMPRESS_FROM, encodeColumn, packTimeline } from './timeline-pack.js';

/** The decoded columns as plain arrays, NaN back to null, for comparison with TimelineData. */
function plain(columns: Record<string, ArrayLike<number>>): Record<string, (number | null)[]> {
  return Object.fromEntries(
    Object.entries(columns).map(([k, v]) => [k, Array.from(v, (x) => (Number.isNaN(x) ? null : x))]),
  );
}

async function roundTrip(t: TimelineData) {
  const payload = await packTimeline(t);
  const decoded = await decodePayload(payload);
  const { id: _id, ...handlerRuns } = t.handlerRuns;
  expect(plain(decoded.beats)).toEqual(t.beats);
  expect(plain(decoded.runs)).toEqual(t.runs);
  expect(plain(decoded.handlerRuns)).toEqual({ ...handlerRuns });
  const { beats: _b, runs: _r, handlerRuns: _h, ...rest } = decoded;
  const { beats: _tb, runs: _tr, handlerRuns: _th, ...expected } = t;
  expect(rest).toEqual(expected);
  return payload;
}

describe('timeline pack', () => {
  it('round-trips a small timeline uncompressed', async () => {
    const payload = await roundTrip(buildTimeline(syntheticTrace(500)));
    expect(payload.encoding).toBe('identity');
  });

  it('round-trips a large timeline deflated, several times smaller than its JSON', async () => {
    const t = buildTimeline(syntheticTrace(20_000));
    const payload = await roundTrip(t);
    expect(payload.bytes).toBeGreaterThan(COMPRESS_FROM);
    expect(payload.encoding).toBe('deflate');
    expect(payload.data.length * 5).toBeLessThan(JSON.stringify(t).length);
  });

  it('stores columns in the narrowest exact type', () => {
    expect(encodeColumn([0, 3, 255]).type).toBe('u8');
    expect(encodeColumn([0, 3, 255, null])).toMatchObject({ type: 'u16', nullAt: 0xffff });
    expect(encodeColumn([-1, 2], 1, true)).toMatchObject({ type: 'i8', delta: true });
    expect(encodeColumn([1.25, 30.5], 1000)).toMatchObject({ type: 'u16', scale: 1000 });
    expect(encodeColumn([1 / 3], 1000)).toMatchObject({ type: 'f64', scale: 1 });
  });
});
