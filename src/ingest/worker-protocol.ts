import type { FileInfo } from '../model/index.js';
import type { ColumnBatch } from '../store/column-batch.js';
import type { PackedValue } from './chunk-codec.js';
import type { ChunkRequest } from './parse-chunk.js';

/**
 * Batches (of up to 5,000 entities, column-encoded: a few MB at most) a worker may have in flight before it
 * waits for the writer. DuckDB's appender hands its rows to the transaction in bursts (every 16 Ki rows of a
 * table); with 4 a single file's parser thread waited ~0.8 s of a 200 MiB log through them while the main
 * thread was idle more than half the time, with 16 it no longer shows in its profile.
 */
export const MAX_OUTSTANDING = 16;

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
  | { readonly type: 'batch'; readonly fileId: string; readonly columns: ColumnBatch }
  | { readonly type: 'progress'; readonly fileId: string; readonly bytes: number }
  | { readonly type: 'done'; readonly fileId: string; readonly info: FileInfo; readonly complete: boolean }
  | { readonly type: 'failed'; readonly fileId: string; readonly message: string };

/** A parsed chunk (`index` as requested; `chunk`: parse-chunk.ts `encodeChunk`), or why it could not be parsed. */
export type ChunkReply =
  | { readonly type: 'chunk'; readonly index: number; readonly chunk: PackedValue }
  | { readonly type: 'chunk-failed'; readonly index: number; readonly message: string };
