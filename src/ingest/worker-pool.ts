/**
 * Parsing across files in worker threads while this thread writes. Every file being parsed has its own
 * store writer (`begin`: a transaction of its own, or a place in a commit group), so a batch is appended as soon
 * as it arrives, whichever file it belongs to, and one file's commit never holds up another's parse. A worker
 * blocks (Atomics.wait in parse-worker.ts) once MAX_OUTSTANDING_ENTITIES of its entities are not yet written, so
 * memory stays bounded. A file that fails, in its worker or while being written, fails alone: it is rolled back, its
 * remaining batches are dropped (releasing its worker) and the other files go on. A crashed worker is
 * replaced: the file it was parsing fails with the reason, the files queued behind it go to the new thread.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileInfo } from '../model/index.js';
import type { FileWriter } from '../store/telemetry-store.js';
import type { FileRequest, WorkerReply } from './worker-protocol.js';

/** A file to parse: its path and content id; what its writer does with it is `begin`'s business. */
export interface PoolFile {
  readonly path: string;
  readonly fileId: string;
  /** Its size, when known: a file queued behind a small one is sent before that one is parsed. */
  readonly sizeBytes?: number;
}

/** Callbacks get back the very file object given to `parseInWorkers`. */
export interface PoolCallbacks<F extends PoolFile> {
  /** The file's store writer (`TelemetryStore.beginFile`, or a commit group's). */
  readonly begin: (file: F) => Promise<FileWriter>;
  readonly request: (file: F) => FileRequest;
  readonly onBytes: (path: string, bytes: number) => void;
  /** Commits (or aborts) a fully parsed file; returns nothing, reports through its own channel. */
  readonly settle: (writer: FileWriter, file: F, info: FileInfo, complete: boolean) => Promise<void>;
  readonly fail: (file: F, message: string) => void;
}

interface InFlight<F extends PoolFile> {
  readonly file: F;
  /** This file's store calls in order: open, appends, then commit or abort. */
  writes: Promise<void>;
  writer: FileWriter | null;
  /** Set once the file failed: it is being rolled back, later batches are dropped as they arrive. */
  error: string | null;
}

interface PooledWorker<F extends PoolFile> {
  readonly thread: Worker;
  readonly outstanding: Int32Array;
  /** Files sent to it, in the order it parses them: the first is being parsed. */
  files: InFlight<F>[];
}

/**
 * Files sent to a worker ahead of its parsing, so that it starts the next as soon as one is parsed without waiting
 * for this thread to hand it over: this thread writes a commit group of small files in one go (~0.2 s for 64
 * consoles of 256 KiB), and meanwhile hands out nothing. Files are queued behind the one being parsed while the
 * files a worker holds come to less than QUEUE_MAX_BYTES (at a parser's ~25 MB/s, about 0.3 s of work), up to
 * QUEUE_MAX_FILES: behind a big file nothing is queued (the next would wait while another worker may be idle, and
 * handing over costs little against it). Measured on 400 consoles of 256 KiB (2 cores): with two files per worker,
 * the workers stood idle through every group write.
 */
const QUEUE_MAX_FILES = 32;
const QUEUE_MAX_BYTES = 8 * 1024 * 1024;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function parseInWorkers<F extends PoolFile>(
  files: readonly F[],
  count: number,
  cb: PoolCallbacks<F>,
): Promise<void> {
  const queue = [...files];
  const pool = new Set<PooledWorker<F>>();
  let unsettled = 0; // files assigned and not yet committed or rolled back
  const script = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const release = (w: PooledWorker<F>, entities: number) => {
      Atomics.sub(w.outstanding, 0, entities);
      Atomics.notify(w.outstanding, 0);
    };
    const finishIfIdle = () => {
      if (unsettled > 0 || queue.length > 0) return;
      Promise.all([...pool].map((w) => w.thread.terminate())).then(() => resolve(), reject);
    };
    /** Queues a store call of `f` after its earlier ones; a throw fails the file. */
    const then = (f: InFlight<F>, step: () => Promise<void>) => {
      f.writes = f.writes.then(step).catch((error: unknown) => fail(f, message(error)));
    };
    /** Rolls the file back and reports it, once, whatever failed first. */
    const fail = (f: InFlight<F>, reason: string) => {
      if (f.error !== null) return;
      f.error = reason;
      f.writes = f.writes.then(async () => {
        await f.writer?.abort().catch(() => undefined);
        cb.fail(f.file, reason);
        settled();
      });
    };
    const settled = () => {
      unsettled--;
      finishIfIdle();
    };
    /** Hands `f` to `w`, behind the files it holds. */
    const send = (w: PooledWorker<F>, f: InFlight<F>) => {
      w.files.push(f);
      w.thread.postMessage(cb.request(f.file));
    };
    /** Sends `w` a file, and more behind small ones (see QUEUE_MAX_BYTES). */
    const assign = (w: PooledWorker<F>) => {
      let held = w.files.reduce((n, f) => n + (f.file.sizeBytes ?? Number.POSITIVE_INFINITY), 0);
      while (w.files.length < QUEUE_MAX_FILES && (w.files.length === 0 || held < QUEUE_MAX_BYTES)) {
        const next = queue.shift();
        if (!next) return;
        const f: InFlight<F> = { file: next, writes: Promise.resolve(), writer: null, error: null };
        unsettled++;
        then(f, async () => {
          f.writer = await cb.begin(next);
        });
        send(w, f);
        held += next.sizeBytes ?? Number.POSITIVE_INFINITY;
      }
    };
    const onReply = (w: PooledWorker<F>, msg: WorkerReply) => {
      const f = w.files[0];
      if (!f || f.file.fileId !== msg.fileId) return;
      if (msg.type === 'progress') return cb.onBytes(f.file.path, msg.bytes);
      if (msg.type === 'batch') {
        if (f.error !== null) return release(w, msg.entities);
        return then(f, async () => {
          try {
            if (f.error === null) await f.writer!.appendColumns(msg.columns);
          } finally {
            release(w, msg.entities);
          }
        });
      }
      // The file is parsed: its worker goes on with the next one while this one's writes finish.
      w.files.shift();
      assign(w);
      if (msg.type === 'failed') return fail(f, msg.message);
      then(f, async () => {
        if (f.error !== null) return;
        await cb.settle(f.writer!, f.file, msg.info, msg.complete);
        settled();
      });
    };
    const spawn = () => {
      const outstanding = new SharedArrayBuffer(4);
      // V8's default young generation: capped at 32 MB, scavenges took a worker 4-5× the GC time of
      // the same parse in the main thread, and two 300 MB logs took 20.7-21.1 s (783-910 MB peak RSS)
      // against 18.7 s (772-775 MB). 128 MB raised the peak to 1,085 MB for no steady gain.
      const thread = new Worker(script, {
        workerData: { outstanding },
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      });
      const w: PooledWorker<F> = { thread, outstanding: new Int32Array(outstanding), files: [] };
      pool.add(w);
      thread.on('message', (msg: WorkerReply) => onReply(w, msg));
      thread.on('error', (error) => {
        pool.delete(w);
        const [parsing, ...waiting] = w.files;
        w.files = [];
        if (parsing !== undefined) fail(parsing, `parser thread crashed: ${error.message}`);
        if (waiting.length === 0 && queue.length === 0) return;
        // The files queued behind it keep their writers: the new thread parses them first.
        const replacement = spawn();
        for (const f of waiting) send(replacement, f);
        assign(replacement);
      });
      return w;
    };
    for (let i = 0; i < count; i++) assign(spawn());
    finishIfIdle();
  });
}
