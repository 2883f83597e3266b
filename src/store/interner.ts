/**
 * One shared copy of each repeated text value a store reads back (session, sequence, event, handler and plugin
 * names): a million rows then share a few strings instead of each holding its own copy, and the analyses' maps
 * keyed by those names find them by identity, with their hash already computed, instead of hashing and comparing
 * a fresh copy per row.
 */

/** Distinct values a column interns before it is taken for an id column and read as is. */
export const INTERN_LIMIT = 4096;

/** Hands back one shared copy of each value, until the column shows more than INTERN_LIMIT distinct ones. */
export function interner(): (value: string) => string {
  let seen: Map<string, string> | null = new Map();
  return (value) => {
    if (seen === null) return value;
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (seen.size >= INTERN_LIMIT) seen = null;
    else seen.set(value, value);
    return value;
  };
}
