/**
 * Positions grouped by a small integer key with one counting sort: two typed arrays instead of a list per group,
 * for the passes over every entity of a store (a list per run, group or series lived long enough to be copied by
 * the young generation's collections).
 */

/** Items grouped by a small integer key, in input order within a group (compressed sparse rows). */
export interface Groups {
  /** Group g holds `items[offsets[g] .. offsets[g + 1])`. Length: group count + 1. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/** Items in the largest group. */
export function largestGroup(g: Groups): number {
  let most = 0;
  for (let k = 0; k + 1 < g.offsets.length; k++) most = Math.max(most, g.offsets[k + 1]! - g.offsets[k]!);
  return most;
}

/** Counting sort of positions 0..keys.length-1 by `keys` (0 ≤ key < count; negative keys are left out). */
export function groupPositions(keys: Int32Array, count: number): Groups {
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < keys.length; i++) if (keys[i]! >= 0) offsets[keys[i]! + 1]!++;
  for (let g = 0; g < count; g++) offsets[g + 1]! += offsets[g]!;
  const items = new Int32Array(offsets[count]!);
  const next = offsets.slice(0, count);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k >= 0) items[next[k]!++] = i;
  }
  return { offsets, items };
}

/**
 * `rows` (positions into `key`) grouped by `key[row]`, each group in the order of `rows`; the groups' items are the
 * rows themselves.
 */
export function groupRows(rows: Int32Array, key: Int32Array, count: number): Groups {
  const keys = new Int32Array(rows.length);
  for (let j = 0; j < rows.length; j++) keys[j] = key[rows[j]!]!;
  const groups = groupPositions(keys, count);
  for (let k = 0; k < groups.items.length; k++) groups.items[k] = rows[groups.items[k]!]!;
  return groups;
}

/**
 * `into[j] = values[rows[j]]`, by index: `TypedArray.from(rows, map)` walks an iterator, boxing every number (the
 * passes over a store read every handler run).
 */
export function gather<T extends Int32Array | Float64Array>(
  into: T,
  values: ArrayLike<number>,
  rows: ArrayLike<number>,
): T {
  for (let j = 0; j < rows.length; j++) into[j] = values[rows[j]!]!;
  return into;
}
