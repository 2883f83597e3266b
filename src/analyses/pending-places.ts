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

export class PendingPlaces {
  private readonly handlers: number[] = [];
  private readonly times: number[] = [];
  private readonly ids: string[] = [];
  private readonly durations: (number | null)[] = [];
  private readonly late: boolean[] = [];
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  add(handler: number, t: number, id: string, durationMs: number | null, settledAfterBeat: boolean): void {
    this.handlers.push(handler);
    this.times.push(t);
    this.ids.push(id);
    this.durations.push(durationMs);
    this.late.push(settledAfterBeat);
    this.lo = Math.min(this.lo, t);
    this.hi = Math.max(this.hi, t);
  }

  /** The earliest and latest time added, epoch ms; undefined when none was. */
  range(): readonly [number, number] | undefined {
    return this.times.length === 0 ? undefined : [this.lo, this.hi];
  }

  /** Each run added, in the order added (one object reused: read it before the next). */
  forEach(visit: (place: PendingPlace) => void): void {
    const place = { handler: 0, t: 0, id: '', durationMs: null as number | null, settledAfterBeat: false };
    for (let i = 0; i < this.times.length; i++) {
      place.handler = this.handlers[i]!;
      place.t = this.times[i]!;
      place.id = this.ids[i]!;
      place.durationMs = this.durations[i]!;
      place.settledAfterBeat = this.late[i]!;
      visit(place);
    }
  }
}
