/** Small helpers the analyses share. */

/** Locale-independent string order, so reports are byte-identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups in first-seen order; items whose key is null (e.g. a beat outside any run) are left out. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** 0.01 ms: the resolution of the most precise duration source. */
export const round2 = (v: number): number => Math.round(v * 100) / 100;
/** For shares (0..1): 0.01 %. */
export const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;

/**
 * Values keyed by a tuple of strings of one length, one map per position: a lookup hashes the parts (strings the
 * caller already holds, their hashes cached) instead of joining them into a new string key per lookup, which on
 * a million handler runs cost seconds. Parts compare as strings: the caller maps null to a string if it must.
 */
export class TupleMap<V> {
  private readonly root = new Map<string, unknown>();

  get(parts: readonly string[]): V | undefined {
    let level: Map<string, unknown> | undefined = this.root;
    for (let i = 0; i < parts.length - 1 && level !== undefined; i++)
      level = level.get(parts[i]!) as Map<string, unknown> | undefined;
    return level?.get(parts[parts.length - 1]!) as V | undefined;
  }

  set(parts: readonly string[], value: V): void {
    let level = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      let next = level.get(parts[i]!) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(parts[i]!, next);
      }
      level = next;
    }
    level.set(parts[parts.length - 1]!, value);
  }
}
