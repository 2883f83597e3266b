import { describe, expect, it } from 'vitest';
import { type PendingPlace, PendingPlaces } from './pending-places.js';

describe('PendingPlaces', () => {
  it('gives back every run added, in order, across the growths of its buffers', () => {
    const places = new PendingPlaces();
    const added: PendingPlace[] = [];
    // 5,000 runs: its 1,024-slot buffers double three times.
    for (let i = 0; i < 5000; i++) {
      const place = {
        handler: i % 7,
        t: 1000 + i,
        id: `h${i}`,
        durationMs: i % 3 === 0 ? null : i / 2,
        settledAfterBeat: i % 5 === 0,
      };
      places.add(place.handler, place.t, place.id, place.durationMs, place.settledAfterBeat);
      added.push(place);
    }
    const read: PendingPlace[] = [];
    places.forEach((p) => {
      read.push({ ...p });
    });
    expect(read).toEqual(added);
    expect(places.range()).toEqual([1000, 5999]);
  });
});
