/**
 * Handler runs waiting for the heatmap's time axis. When no session carries both a start and an end time, the
 * axis spans the handler runs' own earliest and latest times, known only once every run has been read. Rather than
 * read the store twice (once for that range, once to aggregate: on a million handler runs the first pass cost as
 * much as the second), the aggregator keeps what placing a run in its cell needs, in read order, and places them
 * all once the range is known.
 */

/** What `HandlerRunAggregator.place` needs of one run with a time. */
export interface PendingPlace {
  /** The interned handler. */
  readonly handler: number;
  /** Wall time, epoch ms. */
  readonly t: number;
  readonly id: string;
  readonly durationMs: number | null;
  readonly settledAfterBeat: boolean;
}

/** Bits of `PendingPlaces.flags`. */
const TIMED = 1;
const LATE = 2;

/**
 * Numbers in typed arrays doubled when full (a few dozen buffers for a million runs): a `(number | null)[]` boxed
 * each duration in a heap number, which then survived young-generation collections until all were placed.
 */
export class PendingPlaces {
  private count = 0;
  private handlers = new Int32Array(1024);
  private times = new Float64Array(1024);
  private durations = new Float64Array(1024);
  private flags = new Uint8Array(1024);
  private readonly ids: string[] = [];
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  add(handler: number, t: number, id: string, durationMs: number | null, settledAfterBeat: boolean): void {
    const i = this.count++;
    if (i === this.times.length) this.grow();
    this.handlers[i] = handler;
    this.times[i] = t;
    this.durations[i] = durationMs ?? 0;
    this.flags[i] = (durationMs === null ? 0 : TIMED) | (settledAfterBeat ? LATE : 0);
    this.ids.push(id);
    this.lo = Math.min(this.lo, t);
    this.hi = Math.max(this.hi, t);
  }

  /** The earliest and latest time added, epoch ms; undefined when none was. */
  range(): readonly [number, number] | undefined {
    return this.count === 0 ? undefined : [this.lo, this.hi];
  }

  /** Each run added, in the order added (one object reused: read it before the next). */
  forEach(visit: (place: PendingPlace) => void): void {
    const place = { handler: 0, t: 0, id: '', durationMs: null as number | null, settledAfterBeat: false };
    for (let i = 0; i < this.count; i++) {
      const flags = this.flags[i]!;
      place.handler = this.handlers[i]!;
      place.t = this.times[i]!;
      place.id = this.ids[i]!;
      place.durationMs = flags & TIMED ? this.durations[i]! : null;
      place.settledAfterBeat = (flags & LATE) !== 0;
      visit(place);
    }
  }

  private grow(): void {
    const size = 2 * this.times.length;
    this.handlers = grown(this.handlers, size);
    this.times = grown(this.times, size);
    this.durations = grown(this.durations, size);
    this.flags = grown(this.flags, size);
  }
}

/** A typed array of `a`'s kind, `size` long, starting with `a`'s values. */
function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  const out = new (a.constructor as new (length: number) => T)(size);
  out.set(a);
  return out;
}
