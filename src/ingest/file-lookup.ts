/**
 * The store's files and superseded-file records, read once when an ingest plans its files: a query per lookup
 * cost ~1–2 ms each on DuckDB, four or five per file, which was most of the time a folder of small consoles took
 * before any was read. Lookups answer as `TelemetryStore.findFile` / `findSuperseded` do (the first match in
 * fileId, respectively path, order); the writes planning makes go to the store and are mirrored here.
 */
import type { KnownFile, SupersededFile, TelemetryStore } from '../store/telemetry-store.js';

export class FileLookup {
  /** The file a path names: of the files with that path, the first in fileId order. */
  private readonly byPath = new Map<string, KnownFile>();
  /** The record a content id has: of the records with that fileId, the first in path order. */
  private readonly supersededById = new Map<string, SupersededFile>();

  private constructor(
    private readonly store: TelemetryStore,
    private readonly files: Map<string, KnownFile>,
    /** By path. */
    private readonly superseded: Map<string, SupersededFile>,
  ) {
    for (const file of [...files.values()].sort(by((f) => f.fileId))) {
      if (!this.byPath.has(file.path)) this.byPath.set(file.path, file);
    }
    for (const s of [...superseded.values()].sort(by((r) => r.path))) {
      if (!this.supersededById.has(s.fileId)) this.supersededById.set(s.fileId, s);
    }
  }

  static async load(store: TelemetryStore): Promise<FileLookup> {
    const files = new Map<string, KnownFile>();
    for (const { fileId, path, sizeBytes, mtimeMs } of await store.files()) {
      files.set(fileId, { fileId, path, sizeBytes, mtimeMs });
    }
    const superseded = new Map((await store.supersededFiles()).map((s) => [s.path, s] as const));
    return new FileLookup(store, files, superseded);
  }

  findFile(query: { path?: string; fileId?: string }): KnownFile | undefined {
    const file = query.fileId !== undefined ? this.files.get(query.fileId) : this.byPath.get(query.path ?? '');
    return file !== undefined && (query.path === undefined || file.path === query.path) ? file : undefined;
  }

  findSuperseded(query: { path?: string; fileId?: string }): SupersededFile | undefined {
    const s = query.path !== undefined ? this.superseded.get(query.path) : this.supersededById.get(query.fileId ?? '');
    return s !== undefined && (query.fileId === undefined || s.fileId === query.fileId) ? s : undefined;
  }

  async recordSuperseded(file: SupersededFile): Promise<void> {
    await this.store.recordSuperseded(file);
    const replaced = this.superseded.get(file.path);
    this.superseded.set(file.path, file);
    if (replaced !== undefined) this.indexSuperseded(replaced.fileId);
    this.indexSuperseded(file.fileId);
  }

  async removeFile(fileId: string): Promise<void> {
    await this.store.removeFile(fileId);
    const removed = this.files.get(fileId);
    this.files.delete(fileId);
    if (removed !== undefined) this.indexPath(removed.path);
  }

  private indexPath(path: string): void {
    const first = firstBy(
      [...this.files.values()].filter((f) => f.path === path),
      (f) => f.fileId,
    );
    if (first === undefined) this.byPath.delete(path);
    else this.byPath.set(path, first);
  }

  private indexSuperseded(fileId: string): void {
    const first = firstBy(
      [...this.superseded.values()].filter((s) => s.fileId === fileId),
      (s) => s.path,
    );
    if (first === undefined) this.supersededById.delete(fileId);
    else this.supersededById.set(fileId, first);
  }
}

/** A comparator ordering by `key`. */
function by<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** The item with the smallest key. */
function firstBy<T>(items: readonly T[], key: (item: T) => string): T | undefined {
  let first: T | undefined;
  for (const item of items) if (first === undefined || key(item) < key(first)) first = item;
  return first;
}
