import type { ContentPrint, FileInfo, StoreSummary, TraceEntity } from '../model/index.js';
import type { CodeSnapshot } from './code-snapshot.js';
import type { ColumnBatch } from './column-batch.js';
import type { HandlerRunFact } from './handler-run-facts.js';
import type { RunParts } from './run-parts.js';

/** What the store already knows of a path, to decide whether a file must be (re)ingested. */
export interface KnownFile {
  readonly fileId: string;
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
}

/** A stored file with the print of its content (files stored before prints were kept have none). */
export interface PrintedFile extends KnownFile {
  readonly print: ContentPrint;
}

/**
 * A file not stored because its content is a prefix of a stored file's (`by`): the same console saved
 * earlier. Kept so the path is recognised unread while it does not change.
 */
export interface SupersededFile {
  readonly fileId: string;
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  /** fileId of the stored file whose content starts with this one's. */
  readonly by: string;
}

/** The entity kinds that carry an `id` (unique within their file): the ones an extend can drop. */
export type IdentifiedKind = Extract<TraceEntity, { readonly id: string }>['kind'];

/**
 * An entity of the file being written: by kind and id, or, for a kind without an id, by kind and line (its first
 * line, `entityLine`: every entity of that kind on that line).
 */
export type EntityRef =
  | { readonly kind: IdentifiedKind; readonly id: string }
  | { readonly kind: Exclude<TraceEntity['kind'], IdentifiedKind>; readonly line: number };

export interface BeginFileOptions {
  /** An earlier content of the same path, removed in the same commit (kept if this one aborts). */
  readonly replaces?: string | null;
  /** The print stored with the file, so later saves of the same console are recognised. */
  readonly print?: ContentPrint | null;
  /**
   * Files whose content is a prefix of this one's: at commit, in the same transaction, the stored ones'
   * entities are removed and every one is recorded as superseded by this file (with the files that
   * were superseded by them).
   */
  readonly supersedes?: readonly Omit<SupersededFile, 'by'>[];
  /**
   * Add to the stored file `fileId` instead of replacing it (a file that keeps growing, ingested round by round):
   * at commit, in one transaction, the entities named in `drop` are removed, the appended ones added, and the
   * file record (lines, sizes, mtime, diagnostics, print) replaced by the committed FileInfo and `print`. A named
   * entity that is not stored is skipped. When `fileId` is not stored, the writer stores it as a new file (drop
   * ignored). Appending an entity whose (kind, id) is stored and not in `drop` fails the commit (the store is left
   * as it was): name the earlier copy in `drop` to replace it. The cost is that of what is appended and dropped;
   * none of the file's other rows is rewritten.
   */
  readonly extend?: { readonly drop: readonly EntityRef[] };
}

/** One whole file for `TelemetryStore.writeFiles`: what `beginFile` takes, its batches in order, and its info. */
export interface FileToWrite {
  readonly fileId: string;
  readonly options: BeginFileOptions;
  readonly batches: readonly ColumnBatch[];
  readonly info: FileInfo;
}

/**
 * Writes one file's entities. Nothing is visible to readers until `commit()`; `abort()` (or a crash)
 * leaves the store as it was. Committing a file whose fileId is already stored replaces it, so an
 * ingest is idempotent.
 */
export interface FileWriter {
  append(entities: readonly TraceEntity[]): Promise<void>;
  /** The same entities, already column-encoded (by a parser thread, with `ColumnBatchEncoder`). */
  appendColumns(batch: ColumnBatch): Promise<void>;
  commit(file: FileInfo): Promise<void>;
  abort(): Promise<void>;
}

export type Row = Record<string, unknown>;

/** A place in the store's order of entities: a file (stores order files by fileId), then a 1-based line of it. */
export interface EntityPlace {
  readonly fileId: string;
  readonly line: number;
}

export interface EntityQuery {
  /**
   * Only entities that start before this place: in files ordered before its file, or in its file on an earlier
   * line (an entity's first line: a run's start line, a baton diff's line). For reading the first part of a store.
   */
  readonly before?: EntityPlace;
  /**
   * Only entities that start at or after this place: in its file from its line on, or in files ordered after it.
   * For reading the last part of a store (with `placeOf`).
   */
  readonly from?: EntityPlace;
  /** Only entities of these files (by fileId): what one ingest round stored, without reading the rest. */
  readonly fileIds?: readonly string[];
}

export interface TelemetryStore {
  /** Known file for a path, or by content id. */
  findFile(query: { path?: string; fileId?: string }): Promise<KnownFile | undefined>;
  /** Stored files that have a content print. */
  printedFiles(): Promise<readonly PrintedFile[]>;
  /** A superseded file recorded for a path, or by content id. */
  findSuperseded(query: { path?: string; fileId?: string }): Promise<SupersededFile | undefined>;
  /** Every superseded-file record, by path. */
  supersededFiles(): Promise<readonly SupersededFile[]>;
  /** Records a file whose content is a prefix of stored `by`'s; nothing of it is stored. Replaces a record of its path. */
  recordSuperseded(file: SupersededFile): Promise<void>;
  /**
   * Begin writing a file. Writers of different files may be open at once, each in its own transaction
   * (parser threads finish files out of order); a second writer of the same fileId is refused.
   */
  beginFile(fileId: string, options?: BeginFileOptions): Promise<FileWriter>;
  /**
   * Writes several whole files in one transaction, each as `beginFile`, its batches and `commit` would (not an
   * extend): all of them or, when this rejects, none. Optional; where a store has it, ingest writes small files
   * this way, since a transaction of its own costs a small file more than its rows (ingest.ts).
   */
  writeFiles?(files: readonly FileToWrite[]): Promise<void>;
  /** Forget a path's earlier content (the file changed). */
  removeFile(fileId: string): Promise<void>;
  files(): Promise<readonly FileInfo[]>;
  /**
   * All entities of one kind (or those `query` selects), in (fileId, line) order. Meant for analyses and tests;
   * on a huge store read a part of it (`before`).
   */
  entities<K extends TraceEntity['kind']>(
    kind: K,
    query?: EntityQuery,
  ): Promise<readonly Extract<TraceEntity, { kind: K }>[]>;
  /**
   * Every handler run joined with its beat and sequence run (handler-run-facts.ts), in (fileId, line) order,
   * handed to `visit` a batch at a time: what the heatmap and coverage aggregate, without holding the store.
   */
  handlerRunFacts(visit: (batch: readonly HandlerRunFact[]) => void): Promise<void>;
  /**
   * Every sequence run with its beats, movements and handler errors (run-parts.ts), runs in (fileId, line)
   * order, handed to `visit` a batch at a time: what the flows report checks run by run.
   */
  runParts(visit: (batch: readonly RunParts[]) => void): Promise<void>;
  /**
   * Where the `n`-th (0-based) entity of `kind` in (fileId, line) order starts — of the store, or of file `fileId`
   * only; undefined when there are fewer.
   */
  placeOf(kind: TraceEntity['kind'], n: number, fileId?: string): Promise<EntityPlace | undefined>;
  summary(): Promise<StoreSummary>;
  /** Replaces the stored code index (a store holds the latest index of one codebase). */
  saveCodeIndex(snapshot: CodeSnapshot): Promise<void>;
  /** The stored code index, without its per-file blobs (see `loadCodeFiles`). */
  loadCodeIndex(): Promise<CodeSnapshot | undefined>;
  /** The per-file blobs of the stored code index for `paths` (those it has). */
  loadCodeFiles(paths: readonly string[]): Promise<ReadonlyMap<string, string>>;
  close(): Promise<void>;
}

/** A store that also answers SQL (the embedded DuckDB store). */
export interface SqlStore extends TelemetryStore {
  query(sql: string): Promise<readonly Row[]>;
}

/** Whether the store answers SQL (`query`): the DuckDB and PostgreSQL stores do, the in-memory store does not. */
export function isSqlStore(store: TelemetryStore): store is SqlStore {
  return typeof (store as Partial<SqlStore>).query === 'function';
}
