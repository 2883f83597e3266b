/**
 * The code index as a store keeps it (engine-neutral: no database import here, so `TelemetryStore` and the
 * in-memory store can name it). The DuckDB layout is in `duckdb/code-index-store.ts`.
 */
import type { CodeIndex } from '../model/index.js';

/** Per-file blobs of the indexer's state: all of them (`replace`), or what changed since the stored ones. */
export interface CodeFileBlobs {
  /** Drop every stored blob before writing. */
  readonly replace: boolean;
  readonly write: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
}

export interface CodeSnapshot {
  readonly index: CodeIndex;
  /** The indexer's incremental state skeleton, opaque to the store; JSON-serializable. */
  readonly state: unknown;
  /** Wall-clock time of the indexing, epoch ms. */
  readonly indexedAtMs: number;
  /** Per-file blobs that go with `state`; absent: the snapshot keeps none. Never returned by a load. */
  readonly files?: CodeFileBlobs;
}
