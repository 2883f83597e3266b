import type { FileInfo } from '../model/index.js';
import type { ColumnBatch } from '../store/column-batch.js';
import type { PackedValue } from './chunk-codec.js';
import type { ChunkRequest } from './parse-chunk.js';

/** Batches a worker may have in flight before it waits for the writer. */
export const MAX_OUTSTANDING = 4;

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
