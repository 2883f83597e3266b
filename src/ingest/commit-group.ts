/**
 * Small files committed together. A file written in a transaction of its own pays a fixed cost — a
 * connection, BEGIN, an appender per table opened and closed, its file rows, COMMIT — of about 20 ms on
 * DuckDB, more than parsing and storing a 256 KiB console costs: 300 such consoles took 3.8× as long as the
 * same bytes in one file. Users save dozens of consoles a day, so a folder of months of them is mostly this cost.
 *
 * A group's writers hold a file's column batches (the file is small) and join the group at `commit`; the group
 * writes its members with `TelemetryStore.writeFiles`, one transaction, when it holds enough files or bytes or
 * when every file planned for it has joined or left. A file's `commit` resolves once its group is committed, so
 * a file reported ingested is stored. Should the group's write fail, each member is written again on its own
 * (`beginFile` … `commit`), so one bad file costs only itself. Atomicity per file holds either way: a file is
 * stored whole or not at all (a killed process leaves none of the group's files, and the next ingest reads them).
 */
import type { FileInfo, TraceEntity } from '../model/index.js';
import { type ColumnBatch, ColumnBatchEncoder } from '../store/column-batch.js';
import type { BeginFileOptions, FileToWrite, FileWriter, TelemetryStore } from '../store/telemetry-store.js';
import { writeEach } from '../store/write-files.js';

/** Files up to this size are grouped; a bigger file's own transaction costs little against its rows. */
export const GROUP_FILE_MAX_BYTES = 8 * 1024 * 1024;
/** A group is written once it holds this many files … */
const GROUP_MAX_FILES = 64;
/** … or this many bytes of log (its batches are held in memory until then). */
const GROUP_MAX_BYTES = 16 * 1024 * 1024;

type GroupStore = TelemetryStore & Required<Pick<TelemetryStore, 'writeFiles'>>;

interface Member {
  readonly file: FileToWrite;
  readonly sizeBytes: number;
  readonly settle: { resolve(): void; reject(error: unknown): void };
}

export class CommitGroup {
  private members: Member[] = [];
  private bytes = 0;
  /** Files planned for the group that have neither joined nor left. */
  private pending: number;
  /** The group writes in progress, one after the other. */
  private writes: Promise<void> = Promise.resolve();

  /** `planned`: how many files will get a writer from this group (`writer`). */
  constructor(
    private readonly store: GroupStore,
    planned: number,
  ) {
    this.pending = planned;
  }

  /** Whether `store` can write groups. */
  static supports(store: TelemetryStore): store is GroupStore {
    return typeof store.writeFiles === 'function';
  }

  /** A writer of one of the planned files; its commit waits for the group's. */
  writer(fileId: string, options: BeginFileOptions, sizeBytes: number): FileWriter {
    return new GroupedWriter(this, fileId, options, sizeBytes);
  }

  /** A planned file, whole: written with the group; resolves once it is stored. */
  join(file: FileToWrite, sizeBytes: number): Promise<void> {
    this.pending--;
    const done = new Promise<void>((resolve, reject) => {
      this.members.push({ file, sizeBytes, settle: { resolve, reject } });
    });
    this.bytes += sizeBytes;
    this.flushIfDue();
    return done;
  }

  /** A planned file that will not be written (it failed, or its reading stopped early). */
  leave(): void {
    this.pending--;
    this.flushIfDue();
  }

  private flushIfDue(): void {
    const due = this.pending === 0 || this.members.length >= GROUP_MAX_FILES || this.bytes >= GROUP_MAX_BYTES;
    if (!due || this.members.length === 0) return;
    const members = this.members;
    this.members = [];
    this.bytes = 0;
    this.writes = this.writes.then(() => this.write(members));
  }

  private async write(members: readonly Member[]): Promise<void> {
    try {
      await this.store.writeFiles(members.map((m) => m.file));
      for (const m of members) m.settle.resolve();
      return;
    } catch {
      // Written again one by one below: the file that made the group fail fails alone, with its own error.
    }
    for (const { file, settle } of members) {
      try {
        await writeEach([file], (f) => this.store.beginFile(f.fileId, f.options));
        settle.resolve();
      } catch (error) {
        settle.reject(error);
      }
    }
  }
}

/** One planned file's writer: holds its batches, then joins the group at commit. */
class GroupedWriter implements FileWriter {
  private readonly batches: ColumnBatch[] = [];
  private encoder: ColumnBatchEncoder | undefined;
  private done = false;

  constructor(
    private readonly group: CommitGroup,
    private readonly fileId: string,
    private readonly options: BeginFileOptions,
    private readonly sizeBytes: number,
  ) {}

  async append(entities: readonly TraceEntity[]): Promise<void> {
    this.encoder ??= new ColumnBatchEncoder(this.fileId);
    await this.appendColumns(this.encoder.encode(entities));
  }

  async appendColumns(batch: ColumnBatch): Promise<void> {
    this.checkOpen();
    this.batches.push(batch);
  }

  commit(info: FileInfo): Promise<void> {
    this.checkOpen();
    this.done = true;
    return this.group.join({ fileId: this.fileId, options: this.options, batches: this.batches, info }, this.sizeBytes);
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.group.leave();
  }

  private checkOpen(): void {
    if (this.done) throw new Error(`the writer of file ${this.fileId} is already committed or aborted`);
  }
}
