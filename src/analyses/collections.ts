/** Small helpers the analyses share. */

/** Locale-independent string order, so reports are byte-identical on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups in first-seen order; items whose key is null (e.g. a beat outside any run) are left out. */
export function groupBy<T, K = string>(items: readonly T[], key: (item: T) => K | null): Map<K, T[]> {
  const out = new Map<K, T[]>();
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
