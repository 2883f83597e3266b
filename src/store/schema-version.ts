/**
 * The store schema version this beatscope reads and writes (docs/schema.md), and the error for a store of
 * another one. Version 2 folds beat-level "No changes" DataBaton lines into their beat row (`beat_runs.baton_*`):
 * a version 1 store still holds them as `baton_diffs` rows, so its logs are ingested again, not read as they are.
 */
export const STORE_SCHEMA_VERSION = 2;

/** A store of schema version `found` (null: none recorded) refused, with what the user can do about it. */
export function wrongSchemaVersion(store: string, found: number | null): Error {
  const hint =
    found === null
      ? ''
      : found < STORE_SCHEMA_VERSION
        ? ': it was written by an older beatscope; ingest its logs again into a new store (`beatscope ingest <logs> --db <new store>`)'
        : ': it was written by a newer beatscope; upgrade beatscope to read it';
  return new Error(
    `store ${store} has schema version ${found ?? 'none'}; this beatscope reads version ${STORE_SCHEMA_VERSION}${hint}`,
  );
}
