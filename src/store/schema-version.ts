/**
 * The store schema version this beatscope reads and writes (docs/schema.md), and the error for a store of
 * another one. Version 2 folds beat-level "No changes" DataBaton lines into their beat row (`beat_runs.baton_*`):
 * a version 1 store, which holds them as `baton_diffs` rows, is upgraded when it is opened for writing.
 */
export const STORE_SCHEMA_VERSION = 2;

/** Schema versions a store opened for writing is upgraded from, in place (schema-v1-upgrade.ts). */
export const UPGRADABLE_VERSIONS: readonly number[] = [1];

/**
 * A store of schema version `found` (null: none recorded) refused, with what the user can do about it: an
 * upgradable store is refused only where it cannot be written (`beatscope sql` without `--write`, `compare`).
 */
export function wrongSchemaVersion(store: string, found: number | null): Error {
  const hint =
    found === null
      ? ''
      : UPGRADABLE_VERSIONS.includes(found)
        ? `: it was written by an older beatscope; run \`beatscope summary --db ${store}\` once to upgrade it in place`
        : found > STORE_SCHEMA_VERSION
          ? ': it was written by a newer beatscope; upgrade beatscope to read it'
          : '';
  return new Error(
    `store ${store} has schema version ${found ?? 'none'}; this beatscope reads version ${STORE_SCHEMA_VERSION}${hint}`,
  );
}
