/**
 * A file read round by round as it grows (`beatscope serve`'s spool files and watched logs). Each round reads the
 * complete lines appended since the last one (a partial last line waits for its newline) into the same envelope
 * parser and trace builder, kept between rounds, and says what to store:
 * - `final`: the entities that became final this round (stored for good);
 * - `provisional`: the rest of the file's state as entities, as a one-shot ingest would store them if the file
 *   ended here — the open session and its plugin mounts, open and recently ended runs (still matchable by late
 *   lines), the entry the parser is still reading. They replace the previous round's provisional entities.
 * So after every round the store holds what `beatscope ingest` of the lines read so far gives (growing-file.test.ts
 * checks this on real consoles cut into random rounds), at a cost per round that follows what was appended, not the
 * file's size. The provisional part is computed on a fork of the parser and builder (fork-state.ts).
 *
 * Plain UTF-8 files only: a compressed or UTF-16 file is not read this way (`next` says so).
 */
import { open, stat } from 'node:fs/promises';
import { ContentPrinter } from '../importers/content-print.js';
import type { LineParser } from '../importers/importer.js';
import { openLines, type ResumePoint, readOn } from '../importers/line-reader.js';
import { detectFormat, importerById } from '../importers/registry.js';
import { TraceBuilder } from '../model/builder/trace-builder.js';
import type { ContentPrint, Diagnostic, FileInfo, FormatId, TraceEntity } from '../model/index.js';
import { forkState } from './fork-state.js';
import { TraceSink } from './trace-sink.js';

export interface GrowingRound {
  /** Entities final since the previous round. */
  readonly final: readonly TraceEntity[];
  /** The rest of the file's state as entities, as if it ended here; replaced by the next round's. */
  readonly provisional: readonly TraceEntity[];
  /** The file as read so far (up to its last complete line); `path` is the name it is stored under. */
  readonly info: FileInfo;
  /** The print of the bytes read so far (null below 512 bytes). */
  readonly print: ContentPrint | null;
  /** Lines this round read. */
  readonly newLines: number;
}

/** Lines sniffed for the format, as `openLines` takes them for a one-shot ingest. */
const SAMPLE_LINES = 200;
/** Diagnostics a growing file keeps (see `keep`). */
const MAX_DIAGNOSTICS = 1000;
/** Bytes before the read offset compared at every round, to notice a file replaced by another. */
const TAIL_CHECK_BYTES = 256;

export class GrowingFile {
  private resume: ResumePoint = { start: 0, lines: 0, proven: false };
  private readonly printer = new ContentPrinter();
  /** The reader's and the parser's diagnostics of the rounds so far: the first MAX_DIAGNOSTICS kept, the rest counted. */
  private readonly diagnostics: Diagnostic[] = [];
  private diagnosticsDropped = 0;
  private final: TraceEntity[] = [];
  /** The builder's sink: collects this round's final entities (a fork gets another in its place). */
  private readonly collectFinal = (batch: TraceEntity[]) => {
    for (const e of batch) this.final.push(e);
  };
  private parser: LineParser | undefined;
  private builder: TraceBuilder | undefined;
  private sink: TraceSink | undefined;
  private format: FormatId | undefined;
  /** Whether the format was sniffed from a full sample: no later line can change it. */
  private formatSettled = false;
  private ino = -1;
  private mtimeMs = 0;
  private tail: Buffer = Buffer.alloc(0);

  constructor(
    /** Where the bytes are read. */
    readonly path: string,
    /** What the file is stored and reported as. */
    readonly name: string,
    readonly fileId: string,
  ) {}

  /** Bytes read so far: every one of them is in the store once the round's result is. */
  get bytesRead(): number {
    return this.resume.start;
  }

  /**
   * Reads what the file got since the last round. `undefined` when nothing complete was appended; `'restart'`
   * when the file no longer continues what was read (truncated, replaced, rotated, or its first lines now say another
   * format): read it from the start as a new file. `'unsupported'`: not a plain UTF-8 file; ingest it whole.
   */
  async next(): Promise<GrowingRound | 'restart' | 'unsupported' | undefined> {
    const info = await stat(this.path);
    if (this.resume.start > 0 && (info.ino !== this.ino || info.size < this.resume.start || !(await this.tailHolds())))
      return 'restart';
    this.ino = info.ino;
    const end = await lastLineEnd(this.path, this.resume.start, info.size);
    if (end <= this.resume.start) return undefined;
    if (!this.formatSettled) {
      const source = await openLines(this.path, { sampleLines: SAMPLE_LINES });
      if (source.gzip || source.encoding !== 'utf-8') return this.resume.start === 0 ? 'unsupported' : 'restart';
      const detected = detectFormat(source.sample).id;
      if (this.format !== undefined && detected !== this.format) return 'restart';
      this.format = detected;
      this.formatSettled = source.sample.length >= SAMPLE_LINES;
    }
    if (this.parser === undefined) this.begin();
    const before = this.resume.lines;
    // The bytes read feed the content print and the tail check as they pass (a failed read ends this GrowingFile).
    const { result, next } = await readOn(
      this.path,
      this.resume,
      end,
      (text, lineNo, bad) => (bad ? this.builder!.unknown(lineNo, text) : this.parser!.line(text, lineNo)),
      { onContent: (chunk) => this.took(chunk) },
    );
    if (!result.complete) return 'restart';
    this.resume = next;
    this.mtimeMs = info.mtimeMs;
    this.builder!.flush();
    // The sink's list is emptied every round, so a fork's copy of it stays small.
    this.keep([...result.diagnostics.map((d) => ({ ...d, file: this.name })), ...this.sink!.diagnostics.splice(0)]);
    const final = this.final;
    this.final = [];
    return { ...this.atEnd(), final, newLines: result.lines - before };
  }

  private begin(): void {
    const importer = importerById(this.format!)!;
    this.builder = new TraceBuilder({ fileId: this.fileId }, this.collectFinal);
    this.sink = new TraceSink(this.name, this.builder, []);
    this.parser = importer.parse(this.sink);
  }

  /** The provisional entities and the file's record, from a fork run to the end of what was read. */
  private atEnd(): Omit<GrowingRound, 'final' | 'newLines'> {
    const provisional: TraceEntity[] = [];
    const forkDiagnostics: Diagnostic[] = [];
    const collect = (batch: TraceEntity[]) => {
      for (const e of batch) provisional.push(e);
    };
    const [parser, builder] = forkState(
      [this.parser!, this.builder!] as const,
      new Map<unknown, unknown>([
        [this.collectFinal, collect],
        [this.sink!.diagnostics, forkDiagnostics],
      ]),
    );
    parser.end();
    const stats = builder.finish();
    const { print } = this.printer.result();
    const lines = this.resume.lines;
    const info: FileInfo = {
      fileId: this.fileId,
      path: this.name,
      sizeBytes: this.resume.start,
      mtimeMs: this.mtimeMs,
      format: this.format!,
      encoding: 'utf-8',
      gzip: false,
      lines,
      linesRecognized: lines - stats.linesUnknown,
      linesUnknown: stats.linesUnknown,
      diagnostics: [...this.diagnostics, ...forkDiagnostics, ...this.droppedNote()],
    };
    return { provisional, info, print };
  }

  /**
   * Keeps diagnostics up to MAX_DIAGNOSTICS: a stream of bad lines served for days must not grow the file record
   * (rewritten every round) without bound.
   */
  private keep(list: readonly Diagnostic[]): void {
    for (const d of list) {
      if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(d);
      else this.diagnosticsDropped++;
    }
  }

  private droppedNote(): Diagnostic[] {
    if (this.diagnosticsDropped === 0) return [];
    const n = this.diagnosticsDropped.toLocaleString('en-US');
    const message = `${n} more diagnostics of this file not kept (the first ${MAX_DIAGNOSTICS.toLocaleString('en-US')} are)`;
    return [{ file: this.name, line: 0, severity: 'warning', message }];
  }

  /** Feeds read bytes to the content print and keeps the last TAIL_CHECK_BYTES of them for `tailHolds`. */
  private took(chunk: Buffer): void {
    this.printer.update(chunk);
    const last = chunk.length >= TAIL_CHECK_BYTES ? chunk : Buffer.concat([this.tail, chunk]);
    // A copy: the stream may reuse the chunk's memory.
    this.tail = Buffer.from(last.subarray(Math.max(0, last.length - TAIL_CHECK_BYTES)));
  }

  /** Whether the bytes just before the read offset are still those read (the file was appended to, not replaced). */
  private async tailHolds(): Promise<boolean> {
    const now = await readBytes(this.path, this.resume.start - this.tail.length, this.tail.length);
    return now.equals(this.tail);
  }
}

/** The offset just past the last newline in bytes `from`..`size` of a file, or `from` when there is none. */
export async function lastLineEnd(path: string, from: number, size: number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const block = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > from) {
      const start = Math.max(from, end - block.length);
      const { bytesRead } = await handle.read(block, 0, end - start, start);
      const at = block.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return from;
  } finally {
    await handle.close();
  }
}

async function readBytes(path: string, from: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, from);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
