/**
 * One big file across every core: it is cut at line starts into chunks that parser threads read, parse
 * and classify in parallel (parse-chunk.ts), while this thread rebuilds the trace from their records in
 * file order, one pass, and appends it to the store: parsing a line needs no earlier line, rebuilding does.
 *
 * A chunk starts only at a line that opens an entry (its envelope parses and it is not an object preview),
 * so no entry spans two chunks and each chunk reads exactly as it does inside the whole file. The reader's
 * state that does cross lines (binary-file detection, NUL runs, cut lines, capped reports) only matters
 * for bad input: when any chunk reports any diagnostic of the reader or the envelope parser, the caller
 * parses the file again in one piece, so diagnostics and counts are exactly those of a whole-file parse.
 */
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isObjectPreview, parseChromeLine } from '../importers/chrome-console.js';
import { isBlank } from '../importers/envelope-helpers.js';
import { noFinalNewlineMessage, openLines } from '../importers/line-reader.js';
import { detectFormat, importerById } from '../importers/registry.js';
import { TraceBuilder } from '../model/builder/trace-builder.js';
import type { Diagnostic, LogRecord, TraceEntity } from '../model/index.js';
import { decodeChunk, type ParsedChunk } from './parse-chunk.js';
import type { ParsedFile } from './parse-file.js';
import { addChecked } from './trace-sink.js';
import type { ChunkReply, ChunkWorkerRequest } from './worker-protocol.js';

const MIB = 1024 * 1024;

/** Bytes per chunk by default: about 60,000 lines of a Chrome log, 0.2-0.4 s of a parser thread. */
export const DEFAULT_CHUNK_BYTES = 8 * MIB;

/** Bytes searched after a chunk's nominal start for a line that opens an entry; none found, no cut there. */
const CUT_WINDOW_BYTES = 64 * 1024;

/** A control character other than TAB, or U+FFFD: a line like that is never where a chunk starts. */
const UNSAFE_START_RE = /[\u0000-\u0008\u000a-\u001f\ufffd]/;

/** Whether a line opens an entry of this format whatever precedes it; formats without one are never split. */
const ENTRY_START: Readonly<Record<string, (line: string) => boolean>> = {
  'chrome-console': (line) => {
    if (isBlank(line)) return false;
    const parts = parseChromeLine(line);
    return parts !== undefined && !isObjectPreview(parts.message);
  },
};

export interface SplitOptions {
  readonly fileId: string;
  /** Parser threads. */
  readonly workers: number;
  readonly gapThresholdMs?: number;
  readonly onProgress?: (bytes: number) => void;
}

/** Byte offsets where chunks start, then the file size; the first is 0. */
export async function chunkStarts(
  path: string,
  sizeBytes: number,
  chunkBytes: number,
  isEntryStart: (line: string) => boolean,
): Promise<number[]> {
  const starts = [0];
  const fh = await open(path, 'r');
  try {
    const window = Buffer.alloc(CUT_WINDOW_BYTES);
    for (let target = chunkBytes; target < sizeBytes - chunkBytes / 2; target += chunkBytes) {
      if (target <= starts.at(-1)!) continue;
      const { bytesRead } = await fh.read(window, 0, CUT_WINDOW_BYTES, target - 1);
      const cut = entryStartIn(window.subarray(0, bytesRead), isEntryStart);
      if (cut !== undefined) starts.push(target - 1 + cut);
    }
  } finally {
    await fh.close();
  }
  starts.push(sizeBytes);
  return starts;
}

/**
 * Offset in `bytes` of the first line that opens an entry, counting only lines after an LF inside `bytes`
 * and ending with an LF inside it.
 */
function entryStartIn(bytes: Buffer, isEntryStart: (line: string) => boolean): number | undefined {
  let lf = bytes.indexOf(10);
  while (lf !== -1) {
    const start = lf + 1;
    const end = bytes.indexOf(10, start);
    if (end === -1) return undefined;
    const line = bytes.toString('utf8', start, end);
    if (!UNSAFE_START_RE.test(line) && isEntryStart(line)) return start;
    lf = end;
  }
  return undefined;
}

/** A file cut into chunks, ready for `parseSplit`. */
export interface SplitPlan {
  readonly path: string;
  readonly format: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  /** Byte offsets where chunks start, then the file size. */
  readonly starts: readonly number[];
}

/**
 * Where to cut `path`, or undefined when it is not split: its format has no entry-start rule, it is
 * gzip'ed or not UTF-8, or it is too small for two chunks.
 */
export async function planSplit(
  path: string,
  options: { readonly format?: string; readonly chunkBytes?: number },
): Promise<SplitPlan | undefined> {
  const source = await openLines(path, { sampleLines: 200 });
  const importer =
    (options.format === undefined ? undefined : importerById(options.format)) ?? detectFormat(source.sample);
  const isEntryStart = ENTRY_START[importer.id];
  if (isEntryStart === undefined || source.gzip || source.encoding !== 'utf-8') return undefined;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (source.sizeBytes < 2 * chunkBytes) return undefined;
  const starts = await chunkStarts(path, source.sizeBytes, chunkBytes, isEntryStart);
  if (starts.length < 3) return undefined;
  return { path, format: importer.id, sizeBytes: source.sizeBytes, mtimeMs: source.mtimeMs, starts };
}

/**
 * Parses a planned file in chunks across parser threads and rebuilds its trace here, handing entity
 * batches to `onBatch` (awaited before the next chunk is rebuilt). Undefined when the file must be
 * parsed whole after all (a chunk had a diagnostic, a thread failed): nothing handed to `onBatch` may
 * then be kept.
 */
export async function parseSplit(
  plan: SplitPlan,
  onBatch: (batch: TraceEntity[]) => Promise<void>,
  options: SplitOptions,
): Promise<ParsedFile | undefined> {
  const { path, starts } = plan;
  const count = starts.length - 1;
  let writes = Promise.resolve();
  const builder = new TraceBuilder({ fileId: options.fileId, gapThresholdMs: options.gapThresholdMs }, (batch) => {
    writes = writes.then(() => onBatch(batch));
  });
  const diagnostics: Diagnostic[] = [];
  let lines = 0;
  const chunks = new ChunkQueue(path, plan.format, starts, Math.max(1, Math.min(options.workers, count)));
  try {
    for (let i = 0; i < count; i++) {
      const chunk = await chunks.take(i);
      if (chunk === undefined || !chunk.complete) return undefined;
      const last = i === count - 1;
      if (!chunk.diagnostics.every((d) => last && isNoFinalNewline(d, chunk.lines))) return undefined;
      replay(chunk, lines, builder, diagnostics, path);
      lines += chunk.lines;
      if (chunk.diagnostics.length > 0) {
        diagnostics.push({ file: path, line: lines, severity: 'info', message: noFinalNewlineMessage(lines) });
      }
      // This thread's appends keep pace with the parsers: their chunks wait here, at most two per thread.
      await writes;
      options.onProgress?.(starts[i + 1]!);
    }
    const stats = builder.finish();
    await writes;
    return {
      info: {
        fileId: options.fileId,
        path,
        sizeBytes: plan.sizeBytes,
        mtimeMs: plan.mtimeMs,
        format: plan.format,
        encoding: 'utf-8',
        gzip: false,
        lines,
        linesRecognized: lines - stats.linesUnknown,
        linesUnknown: stats.linesUnknown,
        diagnostics,
      },
      complete: true,
    };
  } finally {
    await writes.catch(() => undefined);
    await chunks.close();
  }
}

function isNoFinalNewline(d: Diagnostic, chunkLines: number): boolean {
  return d.severity === 'info' && d.line === chunkLines && d.message === noFinalNewlineMessage(chunkLines);
}

/** Feeds a chunk's records to the builder as `parseFile` does, its line numbers moved past the earlier chunks. */
function replay(chunk: ParsedChunk, before: number, builder: TraceBuilder, diagnostics: Diagnostic[], path: string) {
  for (const op of chunk.ops) {
    if (op.t === 'record') {
      const record = op.record as { -readonly [K in keyof LogRecord]: LogRecord[K] };
      record.line += before;
      addChecked({ record, event: op.event, problem: op.problem }, builder, diagnostics, path);
    } else if (op.t === 'unknown') builder.unknown(op.line + before, op.text);
    else builder.boundary(op.line + before, op.label);
  }
}

/**
 * Chunks handed to parser threads ahead of the rebuild, at most two per thread waiting or in work, and
 * taken back in file order.
 */
class ChunkQueue {
  private readonly threads: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly done = new Map<number, ParsedChunk | undefined>();
  private readonly waiting = new Map<number, (chunk: ParsedChunk | undefined) => void>();
  private next = 0;
  private taken = 0;
  private failed = false;

  constructor(
    private readonly path: string,
    private readonly format: string,
    private readonly starts: readonly number[],
    threads: number,
  ) {
    const script = fileURLToPath(new URL('./parse-worker.js', import.meta.url));
    for (let i = 0; i < threads; i++) {
      const thread = new Worker(script, {
        workerData: { outstanding: new SharedArrayBuffer(4) },
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      });
      thread.on('message', (reply: ChunkReply) => {
        this.settle(reply.index, reply.type === 'chunk' ? decodeChunk(reply.chunk) : undefined);
        this.idle.push(thread);
        this.dispatch();
      });
      thread.on('error', () => this.fail());
      this.threads.push(thread);
      this.idle.push(thread);
    }
    this.dispatch();
  }

  /** Chunk `index` once parsed; undefined if it or a thread failed. Taken in order, each once. */
  take(index: number): Promise<ParsedChunk | undefined> {
    this.taken = index + 1;
    this.dispatch();
    if (this.failed) return Promise.resolve(undefined);
    if (this.done.has(index)) {
      const chunk = this.done.get(index);
      this.done.delete(index);
      return Promise.resolve(chunk);
    }
    return new Promise((resolve) => this.waiting.set(index, resolve));
  }

  close(): Promise<unknown> {
    return Promise.all(this.threads.map((t) => t.terminate()));
  }

  private dispatch(): void {
    const ahead = 2 * this.threads.length;
    while (
      !this.failed &&
      this.idle.length > 0 &&
      this.next < this.starts.length - 1 &&
      this.next < this.taken + ahead
    ) {
      const index = this.next++;
      const request: ChunkWorkerRequest = {
        type: 'chunk',
        index,
        path: this.path,
        format: this.format,
        start: this.starts[index]!,
        end: this.starts[index + 1]!,
        encoding: 'utf-8',
      };
      this.idle.pop()!.postMessage(request);
    }
  }

  private settle(index: number, chunk: ParsedChunk | undefined): void {
    if (chunk === undefined) {
      this.fail();
      return;
    }
    const resolve = this.waiting.get(index);
    if (resolve) {
      this.waiting.delete(index);
      resolve(chunk);
    } else this.done.set(index, chunk);
  }

  private fail(): void {
    this.failed = true;
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }
}
