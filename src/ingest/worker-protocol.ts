import type { FileInfo } from '../model/index.js';
import type { ColumnBatch } from '../store/column-batch.js';

/** Batches a worker may have in flight before it waits for the writer. */
export const MAX_OUTSTANDING = 4;

export interface WorkerRequest {
  readonly path: string;
  readonly fileId: string;
  readonly gapThresholdMs?: number;
  readonly format?: string;
}

export type WorkerReply =
  | { readonly type: 'batch'; readonly fileId: string; readonly columns: ColumnBatch }
  | { readonly type: 'progress'; readonly fileId: string; readonly bytes: number }
  | { readonly type: 'done'; readonly fileId: string; readonly info: FileInfo; readonly complete: boolean }
  | { readonly type: 'failed'; readonly fileId: string; readonly message: string };
