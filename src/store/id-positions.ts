/**
 * Finding entities by id among a million, without a million-entry map when it can. The in-memory store joins handler
 * runs to their beats and sequence runs, and runs to their parts, asking for ids in about the order the entities
 * are stored. A `Map` from every id to its position was most of that join's time on a large store: building it
 * hashes every id and grows the table, and each lookup then misses the CPU caches. When the ids are unique (a model
 * invariant, checked here once) an id is first tried where the last one was found and just after it, and the map
 * is built only at the first miss. Either way `find` answers as the map does: a repeated id maps to its last
 * position.
 */

/** A 32-bit FNV-1a hash of a string's UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Whether no two items share an id: their hashes sorted (a typed-array sort, no strings compared), then the ids of
 * the few hashes that collide compared exactly.
 */
export function idsAreUnique(items: readonly { readonly id: string }[]): boolean {
  const n = items.length;
  const hashes = new Uint32Array(n);
  for (let i = 0; i < n; i++) hashes[i] = hashOf(items[i]!.id);
  const sorted = hashes.slice().sort();
  const collided = new Set<number>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) collided.add(sorted[i]!);
  if (collided.size === 0) return true;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!collided.has(hashes[i]!)) continue;
    const id = items[i]!.id;
    if (seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

/** Positions of ids in `items`, as a map from each id to its last position would give them (see the file header). */
export class IdPositions {
  private readonly unique: boolean;
  /** Where the last id was found; -1 before any. */
  private last = -1;
  private byId: Map<string, number> | undefined;

  constructor(private readonly items: readonly { readonly id: string }[]) {
    this.unique = idsAreUnique(items);
  }

  /** Before a new pass over ids in store order: the first guess is the first item again. */
  rewind(): void {
    this.last = -1;
  }

  find(id: string): number | undefined {
    const { items, last } = this;
    if (this.unique) {
      if (last >= 0 && items[last]!.id === id) return last;
      if (last + 1 < items.length && items[last + 1]!.id === id) {
        this.last = last + 1;
        return this.last;
      }
    }
    if (this.byId === undefined) {
      this.byId = new Map();
      for (let i = 0; i < items.length; i++) this.byId.set(items[i]!.id, i);
    }
    const at = this.byId.get(id);
    if (at !== undefined) this.last = at;
    return at;
  }
}
