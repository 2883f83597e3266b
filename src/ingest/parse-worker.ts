/**
 * Worker thread entry: parses the files the main thread assigns and streams entity batches back,
 * column-encoded (typed arrays transferred, text dictionary-encoded: see store/column-batch.ts), so
 * the main thread is left with the native appends. A chunk of a big file (split-file.ts) is parsed
 * without rebuilding and its records go back whole (parse-chunk.ts).
 * Back-pressure: after posting a batch the worker blocks (Atomics.wait) while more than
 * MAX_OUTSTANDING_ENTITIES entities are not yet written by the main thread, so memory stays bounded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TraceEntity } from '../model/index.js';
import { ColumnBatchEncoder, transferables } from '../store/column-batch.js';
import { packedTransferables } from './chunk-codec.js';
import { encodeChunk, parseChunk } from './parse-chunk.js';
import { parseFile } from './parse-file.js';
import type { ChunkReply, WorkerReply, WorkerRequest } from './worker-protocol.js';
import { MAX_OUTSTANDING_ENTITIES } from './worker-protocol.js';

const outstanding = new Int32Array(workerData.outstanding as SharedArrayBuffer);
const port = parentPort!;

// Requests are handled one after the other: the main thread sends the next file before this one is done,
// so a worker never waits for the main thread (busy writing) to hand it work.
let handled: Promise<void> = Promise.resolve();
port.on('message', (req: WorkerRequest) => {
  handled = handled.then(() => handle(req));
});

async function handle(req: WorkerRequest): Promise<void> {
  if (req.type === 'chunk') {
    const { index } = req;
    try {
      const chunk = encodeChunk(await parseChunk(req));
      port.postMessage({ type: 'chunk', index, chunk } satisfies ChunkReply, packedTransferables(chunk));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ type: 'chunk-failed', index, message } satisfies ChunkReply);
    }
    return;
  }
  const post = (reply: WorkerReply) => port.postMessage(reply);
  try {
    const encoder = new ColumnBatchEncoder(req.fileId);
    const parsed = await parseFile(
      req.path,
      req.fileId,
      (batch: TraceEntity[]) => {
        const columns = encoder.encode(batch);
        const entities = batch.length;
        Atomics.add(outstanding, 0, entities);
        port.postMessage(
          { type: 'batch', fileId: req.fileId, columns, entities } satisfies WorkerReply,
          transferables(columns),
        );
        while (Atomics.load(outstanding, 0) > MAX_OUTSTANDING_ENTITIES)
          Atomics.wait(outstanding, 0, Atomics.load(outstanding, 0), 1000);
      },
      {
        gapThresholdMs: req.gapThresholdMs,
        format: req.format,
        onProgress: (bytes) => post({ type: 'progress', fileId: req.fileId, bytes }),
      },
    );
    post({ type: 'done', fileId: req.fileId, info: parsed.info, complete: parsed.complete });
  } catch (error) {
    post({ type: 'failed', fileId: req.fileId, message: error instanceof Error ? error.message : String(error) });
  }
}
