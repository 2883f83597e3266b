import type { FileInfo } from '../model/index.js';
import type { ColumnBatch } from '../store/column-batch.js';
import type { PackedValue } from './chunk-codec.js';
import type { ChunkRequest } from './parse-chunk.js';

/**
 * Entities a worker may have in flight (posted in batches, column-encoded, not yet taken by the writer) before it
 * waits: 16 batches of 5,000. DuckDB's appender hands its rows to the transaction in bursts (every 16 Ki rows of a
 * table); with 4 batches a single file's parser thread waited ~0.8 s of a 200 MiB log through them while the main
 * thread was idle more than half the time, with 16 it no longer shows in its profile. Counted in entities, not
 * batches: a small console is one batch of a few hundred, and 16 of those ran out while the main thread wrote a
 * commit group (both parser threads then stood still).
 */
export const MAX_OUTSTANDING_ENTITIES = 16 * 5000;

/** A whole file to parse and rebuild (worker-pool.ts). */
export interface FileRequest {
  readonly type?: 'file';
  readonly path: string;
  readonly fileId: string;
  readonly gapThresholdMs?: number;
  readonly format?: string;
}

/** One chunk of a big file to parse, not rebuild (split-file.ts); `index` comes back in the reply. */
export interface ChunkWorkerRequest extends ChunkRequest {
  readonly type: 'chunk';
  readonly index: number;
}

export type WorkerRequest = FileRequest | ChunkWorkerRequest;

export type WorkerReply =
  | { readonly type: 'batch'; readonly fileId: string; readonly columns: ColumnBatch; readonly entities: number }
  | { readonly type: 'progress'; readonly fileId: string; readonly bytes: number }
  | { readonly type: 'done'; readonly fileId: string; readonly info: FileInfo; readonly complete: boolean }
  | { readonly type: 'failed'; readonly fileId: string; readonly message: string };

/** A parsed chunk (`index` as requested; `chunk`: parse-chunk.ts `encodeChunk`), or why it could not be parsed. */
export type ChunkReply =
  | { readonly type: 'chunk'; readonly index: number; readonly chunk: PackedValue }
  | { readonly type: 'chunk-failed'; readonly index: number; readonly message: string };
