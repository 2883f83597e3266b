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

  /**
   * Keys are read once into typed arrays and groups sorted as index lists (no object per item): over the million
   * beats of a large store the entry objects and their sort were most of an index's cost. A group already in order
   * (beats in log order mostly are) skips the sort.
   */
  constructor(items: Iterable<T>, keys: IntervalKeys<T>) {
    const list = Array.isArray(items) ? (items as readonly T[]) : [...items];
    const n = list.length;
    const starts = new Float64Array(n);
    const ties = new Float64Array(n);
    const groupOf = new Int32Array(n);
    const groupIds = new Map<string, number>();
    const names: string[] = [];
    const sizes: number[] = [];
    let last: string | undefined;
    let lastId = -1;
    for (let i = 0; i < n; i++) {
      const item = list[i]!;
      starts[i] = keys.start(item);
      ties[i] = keys.tie?.(item) ?? 0;
      const group = keys.group(item);
      // Runs of one group are the rule: the lookup only when the group changes.
      if (group !== last) {
        let id = groupIds.get(group);
        if (id === undefined) {
          id = names.length;
          groupIds.set(group, id);
          names.push(group);
          sizes.push(0);
        }
        last = group;
        lastId = id;
      }
      groupOf[i] = lastId;
      sizes[lastId]!++;
    }
    // Each group's item indexes, in input order.
    const members = sizes.map((size) => new Array<number>(size));
    const filled = new Int32Array(names.length);
    for (let i = 0; i < n; i++) {
      const g = groupOf[i]!;
      members[g]![filled[g]!++] = i;
    }
    const before = (a: number, b: number) => starts[a]! - starts[b]! || ties[a]! - ties[b]! || b - a;
    for (let g = 0; g < names.length; g++) {
      const order = members[g]!;
      let sorted = true;
      for (let k = 1; k < order.length && sorted; k++) sorted = before(order[k - 1]!, order[k]!) < 0;
      if (!sorted) order.sort(before);
      const m = order.length;
      const groupStarts = new Float64Array(m);
      const ends = new Float64Array(m);
      const reach = new Float64Array(m);
      const groupItems = new Array<T>(m);
      let latest = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < m; k++) {
        const i = order[k]!;
        const item = list[i]!;
        groupItems[k] = item;
        groupStarts[k] = starts[i]!;
        ends[k] = keys.end(item);
        latest = Math.max(latest, ends[k]!);
        reach[k] = latest;
      }
      this.groups.set(names[g]!, { items: groupItems, starts: groupStarts, ends, reach });
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
