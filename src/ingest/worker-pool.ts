/**
 * Parsing across files in worker threads while this thread writes. The store has a single writer, so
 * files are written one at a time in assignment order; batches of files not yet being written wait here,
 * and their worker blocks (Atomics.wait in parse-worker.ts) once MAX_OUTSTANDING of them are in flight.
 * A file that fails — in its worker or while being written — fails alone: its remaining batches are
 * dropped (releasing its worker) and the other files go on. A crashed worker is replaced.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileInfo } from '../model/index.js';
import type { ColumnBatch } from '../store/column-batch.js';
import type { FileWriter, TelemetryStore } from '../store/telemetry-store.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

/** A file to parse: its path, content id and the earlier content of the same path to replace. */
export interface PoolFile {
  readonly path: string;
  readonly fileId: string;
  readonly replaces: string | null;
}

export interface PoolCallbacks {
  readonly store: TelemetryStore;
  readonly request: (file: PoolFile) => WorkerRequest;
  readonly onBytes: (path: string, bytes: number) => void;
  /** Commits (or aborts) a fully parsed file; returns nothing, reports through its own channel. */
  readonly settle: (writer: FileWriter, file: PoolFile, info: FileInfo, complete: boolean) => Promise<void>;
  readonly fail: (file: PoolFile, message: string) => void;
}

interface InFlight {
  readonly file: PoolFile;
  readonly batches: ColumnBatch[];
  readonly worker: PooledWorker;
  writer: FileWriter | null;
  info: FileInfo | null;
  complete: boolean;
  error: string | null;
  /** Failed while being written: later batches are dropped as they arrive. */
  abandoned: boolean;
}

interface PooledWorker {
  readonly thread: Worker;
  readonly outstanding: Int32Array;
  current: InFlight | null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function parseInWorkers(files: readonly PoolFile[], count: number, cb: PoolCallbacks): Promise<void> {
  const queue = [...files];
  const order: InFlight[] = [];
  const pool = new Set<PooledWorker>();
  const script = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    let pumping = false;
    const release = (w: PooledWorker, batches: number) => {
      Atomics.sub(w.outstanding, 0, batches);
      Atomics.notify(w.outstanding, 0);
    };
    const assign = (w: PooledWorker) => {
      w.current = null;
      const next = queue.shift();
      if (!next) return;
      const f: InFlight = {
        file: next,
        batches: [],
        worker: w,
        writer: null,
        info: null,
        complete: false,
        error: null,
        abandoned: false,
      };
      w.current = f;
      order.push(f);
      w.thread.postMessage(cb.request(next));
    };
    const finishIfIdle = () => {
      if (order.length > 0 || queue.length > 0 || [...pool].some((w) => w.current !== null)) return;
      Promise.all([...pool].map((w) => w.thread.terminate())).then(() => resolve(), reject);
    };
    /** Writes the head file's batches; settles it when parsed; fails it alone on any error. */
    const pump = async () => {
      if (pumping) return;
      pumping = true;
      while (order.length > 0) {
        const head = order[0]!;
        try {
          if (head.error === null && head.writer === null) {
            if (head.file.replaces) await cb.store.removeFile(head.file.replaces);
            head.writer = await cb.store.beginFile(head.file.fileId);
          }
          while (head.error === null && head.batches.length > 0) {
            await head.writer!.appendColumns(head.batches.shift()!);
            release(head.worker, 1);
          }
          if (head.error === null && head.info === null) break;
          if (head.error === null) await cb.settle(head.writer!, head.file, head.info!, head.complete);
        } catch (error) {
          head.error = message(error);
        }
        if (head.error !== null) {
          await head.writer?.abort().catch(() => undefined);
          release(head.worker, head.batches.length);
          head.batches.length = 0;
          // Still parsing: its worker's later batches are dropped on arrival, its `done` ignored.
          if (head.worker.current === head) head.abandoned = true;
          cb.fail(head.file, head.error);
        }
        order.shift();
      }
      pumping = false;
      finishIfIdle();
    };
    const spawn = () => {
      const outstanding = new SharedArrayBuffer(4);
      // Small generations keep peak RSS bounded. A 128 MB young generation cut a worker's GC time by
      // a third, but two 300 MB logs then peaked at 1,085 MB RSS (835 MB at 32) for no steady gain.
      const thread = new Worker(script, {
        workerData: { outstanding },
        resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
      });
      const w: PooledWorker = { thread, outstanding: new Int32Array(outstanding), current: null };
      pool.add(w);
      thread.on('message', (msg: WorkerReply) => {
        const f = w.current;
        if (!f || f.file.fileId !== msg.fileId) return;
        if (msg.type === 'batch') {
          if (f.abandoned || f.error !== null) release(w, 1);
          else f.batches.push(msg.columns);
        } else if (msg.type === 'progress') cb.onBytes(f.file.path, msg.bytes);
        else {
          if (msg.type === 'done') {
            f.info = msg.info;
            f.complete = msg.complete;
          } else f.error ??= msg.message;
          assign(w);
        }
        void pump();
      });
      thread.on('error', (error) => {
        pool.delete(w);
        if (w.current) w.current.error ??= `parser thread crashed: ${error.message}`;
        w.current = null;
        if (queue.length > 0) assign(spawn());
        void pump();
      });
      return w;
    };
    for (let i = 0; i < count; i++) assign(spawn());
    finishIfIdle();
  });
}
