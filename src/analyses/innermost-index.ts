/**
 * "Which interval innermost encloses this point?" for many points: the runs or beats around a log line, the beat
 * a request was enqueued in. Intervals are sorted by start once per group (a session); a query is a binary search
 * to the last start at or before the point and a backward scan that stops where no earlier interval reaches the
 * point (a running maximum of ends). That is O(log n + k) per query, k the intervals the scan passes that overlap
 * the point — a scan back to the first interval for every point was quadratic on long sessions.
 */

export interface IntervalKeys<T> {
  /** Intervals of different groups never enclose each other's points (e.g. the session id). */
  readonly group: (item: T) => string;
  readonly start: (item: T) => number;
  /** Inclusive: the interval contains `end` itself. */
  readonly end: (item: T) => number;
  /** Orders equal starts: the greater value is the inner one (e.g. the start line within one millisecond). */
  readonly tie?: (item: T) => number;
}

export interface InnermostQuery<T> {
  /** Exclude `start === point` (a point on an interval's first instant is not inside it). Default false. */
  readonly strictStart?: boolean;
  /** Only intervals this accepts are candidates. */
  readonly accept?: (item: T) => boolean;
}

interface Group<T> {
  /** By (start, tie) ascending, then input order descending: a backward scan meets the earliest input first. */
  readonly items: readonly T[];
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** `reach[i]`: the latest end among `items[0..i]`; no interval at or before i contains a point after it. */
  readonly reach: Float64Array;
}

export class InnermostIndex<T> {
  private readonly groups = new Map<string, Group<T>>();

  constructor(items: Iterable<T>, keys: IntervalKeys<T>) {
    const byGroup = new Map<string, { item: T; start: number; tie: number; index: number }[]>();
    let index = 0;
    for (const item of items) {
      const entry = { item, start: keys.start(item), tie: keys.tie?.(item) ?? 0, index: index++ };
      const group = keys.group(item);
      const list = byGroup.get(group);
      if (list) list.push(entry);
      else byGroup.set(group, [entry]);
    }
    for (const [group, list] of byGroup) {
      list.sort((a, b) => a.start - b.start || a.tie - b.tie || b.index - a.index);
      const starts = new Float64Array(list.length);
      const ends = new Float64Array(list.length);
      const reach = new Float64Array(list.length);
      let latest = Number.NEGATIVE_INFINITY;
      for (const [i, { item, start }] of list.entries()) {
        starts[i] = start;
        ends[i] = keys.end(item);
        latest = Math.max(latest, ends[i]!);
        reach[i] = latest;
      }
      this.groups.set(group, { items: list.map((e) => e.item), starts, ends, reach });
    }
  }

  /**
   * The innermost accepted interval of `group` containing `point`: the latest start wins, then the greater tie,
   * then the first in input order. Undefined when none contains it.
   */
  find(group: string, point: number, query: InnermostQuery<T> = {}): T | undefined {
    const g = this.groups.get(group);
    if (g === undefined) return undefined;
    for (let i = lastStartBefore(g.starts, point, query.strictStart ?? false); i >= 0 && g.reach[i]! >= point; i--) {
      if (g.ends[i]! < point) continue;
      const item = g.items[i]!;
      if (query.accept === undefined || query.accept(item)) return item;
    }
    return undefined;
  }
}

/** Index of the last start ≤ point (< point when strict), -1 when none. */
function lastStartBefore(starts: Float64Array, point: number, strict: boolean): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? starts[mid]! < point : starts[mid]! <= point) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
