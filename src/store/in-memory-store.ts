/**
 * The store for fast unit tests (OpenTelemetry's in-memory exporter): plain arrays, same semantics as
 * the DuckDB store. A file's entities are buffered in its writer and become visible at `commit()`,
 * replacing any earlier content of that fileId (or added to it, for an `extend` writer).
 */

import type {
  ContentPrint,
  FileInfo,
  HandlerRun,
  SequenceRun,
  StoreSummary,
  TraceEntity,
  TraceEntityKind,
} from '../model/index.js';
import type { CodeSnapshot } from './code-snapshot.js';
import { decodeColumnBatch } from './column-batch.js';
import { checkEntityFile, entityLine } from './entity-file.js';
import { DuplicateEntityError, isIdentified } from './extend-refs.js';
import { type FactJoin, factJoinOf, factsFrom, type HandlerRunFact } from './handler-run-facts.js';
import { IdPositions } from './id-positions.js';
import { type PartsByRun, partsByRunOf, type RunParts, runPartsFrom } from './run-parts.js';
import { summarize } from './summarize.js';
import type {
  BeginFileOptions,
  EntityPlace,
  EntityQuery,
  EntityRef,
  FileWriter,
  KnownFile,
  PrintedFile,
  SupersededFile,
  TelemetryStore,
} from './telemetry-store.js';

interface StoredFile {
  readonly info: FileInfo;
  readonly entities: readonly TraceEntity[];
  /**
   * `entities` by kind in line order: the store's tables, built when the file is committed (as the SQL stores
   * write each kind to its table), so reads never split a million entities by kind first.
   */
  readonly kinds: ReadonlyMap<TraceEntityKind, KindIndex>;
  readonly print: ContentPrint | null;
}

/** One kind's entities of a file in (line, append) order, with their lines (same index, non-decreasing). */
interface KindIndex {
  readonly entities: readonly TraceEntity[];
  readonly lines: Float64Array;
}

/** The number of `lines` (non-decreasing) that are ≤ `last`: a binary search, O(log n). */
function countAtMost(lines: Float64Array, last: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid]! <= last) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EMPTY_LINES = new Float64Array(0);

/**
 * A file's entities split by kind, each in line order. Array.prototype.sort is stable: equal lines keep append
 * order, as the DuckDB store's `ord` does. Already sorted lists (the importers append in line order) skip the sort.
 * Each entity's line is read in the same pass as its kind: a second pass over a million entities cost as much
 * again, in cache misses.
 */
function indexByKind(entities: readonly TraceEntity[]): Map<TraceEntityKind, KindIndex> {
  type Group = { entities: TraceEntity[]; lines: number[]; sorted: boolean };
  const grouped = new Map<TraceEntityKind, Group>();
  // Entities of a kind mostly come together (a file's beats, then its handler runs…): the last group is tried first.
  let last: Group | undefined;
  let lastKind: TraceEntityKind | undefined;
  for (const e of entities) {
    const line = entityLine(e);
    const group = e.kind === lastKind ? last : grouped.get(e.kind);
    lastKind = e.kind;
    if (group === undefined) {
      last = { entities: [e], lines: [line], sorted: true };
      grouped.set(e.kind, last);
    } else {
      last = group;
      if (line < group.lines[group.lines.length - 1]!) group.sorted = false;
      group.entities.push(e);
      group.lines.push(line);
    }
  }
  const out = new Map<TraceEntityKind, KindIndex>();
  for (const [kind, group] of grouped) {
    if (group.sorted) {
      out.set(kind, { entities: group.entities, lines: Float64Array.from(group.lines) });
      continue;
    }
    const list = group.entities.sort((a, b) => entityLine(a) - entityLine(b));
    out.set(kind, { entities: list, lines: Float64Array.from(list, entityLine) });
  }
  return out;
}

/**
 * A stored file's entities without those `drop` names, then `appended`: the entities of an extend commit (the kept
 * ones first, so equal lines keep their order as the SQL stores' `ord` does). Throws DuplicateEntityError when an
 * appended entity has the (kind, id) of a kept one.
 */
function extended(
  fileId: string,
  stored: readonly TraceEntity[],
  drop: readonly EntityRef[],
  appended: readonly TraceEntity[],
): TraceEntity[] {
  const key = (kind: string, id: string) => `${kind}\u0000${id}`;
  const dropped = new Set(drop.map((r) => ('id' in r ? key(r.kind, r.id) : key(r.kind, String(r.line)))));
  const kept = stored.filter(
    (e) => !dropped.has(isIdentified(e) ? key(e.kind, e.id) : key(e.kind, String(entityLine(e)))),
  );
  const keptIds = new Set(kept.filter(isIdentified).map((e) => key(e.kind, e.id)));
  for (const e of appended) {
    if (isIdentified(e) && keptIds.has(key(e.kind, e.id))) throw new DuplicateEntityError(fileId, e.kind, e.id);
  }
  // A loop, not push(...appended): a spread of a million arguments overflows the stack.
  for (const e of appended) kept.push(e);
  return kept;
}

export class InMemoryStore implements TelemetryStore {
  private codeSnapshot: CodeSnapshot | undefined;
  private readonly codeFiles = new Map<string, string>();
  private readonly stored = new Map<string, StoredFile>();
  /** By path. */
  private readonly superseded = new Map<string, SupersededFile>();
  /** fileIds with an open writer. */
  private readonly writing = new Set<string>();
  private closed = false;
  /**
   * Derived from `stored`, built on first use and dropped whenever `stored` changes (a commit or a removal): the
   * files by fileId.
   */
  private sortedCache: StoredFile[] | undefined;
  /** The handler runs with their join, and the runs with their parts by run: like `sortedCache`. */
  private factsCache: { readonly handlerRuns: readonly HandlerRun[]; readonly join: FactJoin } | undefined;
  private partsCache: { readonly runs: readonly SequenceRun[]; readonly parts: PartsByRun } | undefined;
  /** Positions of the sequence runs by id, for both joins above (its uniqueness check is a pass over every id). */
  private runAtCache: IdPositions | undefined;

  async findFile(query: { path?: string; fileId?: string }): Promise<KnownFile | undefined> {
    if (query.path === undefined && query.fileId === undefined) return undefined;
    const match = this.sortedFiles().find(
      (f) =>
        (query.fileId === undefined || f.info.fileId === query.fileId) &&
        (query.path === undefined || f.info.path === query.path),
    );
    if (match === undefined) return undefined;
    const { fileId, path, sizeBytes, mtimeMs } = match.info;
    return { fileId, path, sizeBytes, mtimeMs };
  }

  async printedFiles(): Promise<readonly PrintedFile[]> {
    const out: PrintedFile[] = [];
    for (const { info, print } of this.sortedFiles()) {
      const { fileId, path, sizeBytes, mtimeMs } = info;
      if (print) out.push({ fileId, path, sizeBytes, mtimeMs, print });
    }
    return out;
  }

  async findSuperseded(query: { path?: string; fileId?: string }): Promise<SupersededFile | undefined> {
    if (query.path === undefined && query.fileId === undefined) return undefined;
    return (await this.supersededFiles()).find(
      (f) =>
        (query.fileId === undefined || f.fileId === query.fileId) &&
        (query.path === undefined || f.path === query.path),
    );
  }

  async supersededFiles(): Promise<readonly SupersededFile[]> {
    return [...this.superseded.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async recordSuperseded(file: SupersededFile): Promise<void> {
    this.checkOpen();
    this.superseded.set(file.path, { ...file });
  }

  async beginFile(fileId: string, options: BeginFileOptions = {}): Promise<FileWriter> {
    this.checkOpen();
    if (this.writing.has(fileId)) throw new Error(`a writer of file ${fileId} is already open on this store`);
    this.writing.add(fileId);
    const buffered: TraceEntity[] = [];
    let done = false;
    const finish = () => {
      if (done) throw new Error(`the writer of file ${fileId} is already committed or aborted`);
      done = true;
      this.writing.delete(fileId);
    };
    const append = async (entities: readonly TraceEntity[]) => {
      if (done) throw new Error(`the writer of file ${fileId} is already committed or aborted`);
      for (const e of entities) checkEntityFile(e, fileId);
      // A loop, not push(...entities): a spread of a million arguments overflows the stack.
      for (const e of entities) buffered.push(e);
    };
    return {
      append,
      appendColumns: (batch) => append(decodeColumnBatch(batch, fileId)),
      commit: async (file) => {
        if (file.fileId !== fileId) throw new Error(`commit of file ${file.fileId} on the writer of ${fileId}`);
        finish();
        const earlier = this.stored.get(fileId);
        // Checked before anything changes, so a refused extend leaves the store as it was.
        const entities =
          options.extend && earlier ? extended(fileId, earlier.entities, options.extend.drop, buffered) : buffered;
        if (options.replaces) this.stored.delete(options.replaces);
        this.superseded.delete(file.path);
        for (const s of options.supersedes ?? []) {
          if (s.fileId === fileId) continue;
          for (const [path, record] of this.superseded) {
            if (record.by === s.fileId) this.superseded.set(path, { ...record, by: fileId });
          }
          this.superseded.set(s.path, { ...s, by: fileId });
          this.stored.delete(s.fileId);
        }
        this.stored.set(fileId, { info: file, entities, kinds: indexByKind(entities), print: options.print ?? null });
        this.forgetDerived();
      },
      abort: async () => {
        if (!done) finish();
      },
    };
  }

  async removeFile(fileId: string): Promise<void> {
    this.checkOpen();
    this.stored.delete(fileId);
    this.forgetDerived();
  }

  async files(): Promise<readonly FileInfo[]> {
    return this.sortedFiles().map((f) => f.info);
  }

  async entities<K extends TraceEntityKind>(
    kind: K,
    query: EntityQuery = {},
  ): Promise<readonly Extract<TraceEntity, { kind: K }>[]> {
    return this.entitiesNow(kind, query);
  }

  async handlerRunFacts(visit: (batch: readonly HandlerRunFact[]) => void): Promise<void> {
    // Built synchronously, so no commit can land between reading the entities and caching their join.
    if (this.factsCache === undefined) {
      const handlerRuns = this.entitiesNow('handler-run');
      const runs = this.entitiesNow('sequence-run');
      const join = factJoinOf(handlerRuns, this.entitiesNow('beat-run'), runs, this.runPositions(runs));
      this.factsCache = { handlerRuns, join };
    }
    const { handlerRuns, join } = this.factsCache;
    for (const batch of factsFrom(handlerRuns, join)) visit(batch);
  }

  async runParts(visit: (batch: readonly RunParts[]) => void): Promise<void> {
    if (this.partsCache === undefined) {
      const runs = this.entitiesNow('sequence-run');
      const parts = partsByRunOf(
        runs,
        this.entitiesNow('beat-run'),
        this.entitiesNow('movement-run'),
        this.entitiesNow('handler-error'),
        this.runPositions(runs),
      );
      this.partsCache = { runs, parts };
    }
    const { runs, parts } = this.partsCache;
    for (const batch of runPartsFrom(runs, parts)) visit(batch);
  }

  /**
   * `entities`, synchronously. The result may be a file's own index list (when it alone answers the query), so it
   * is never changed in place: copying each kind's list per read was a second of a million-beat analysis.
   */
  private entitiesNow<K extends TraceEntityKind>(
    kind: K,
    query: EntityQuery = {},
  ): readonly Extract<TraceEntity, { kind: K }>[] {
    type Entity = Extract<TraceEntity, { kind: K }>;
    const { before, from } = query;
    const only = query.fileIds === undefined ? null : new Set(query.fileIds);
    /** The part [first, count) of each file's list the query keeps, in file order. */
    const parts: { readonly list: readonly TraceEntity[]; readonly first: number; readonly count: number }[] = [];
    let total = 0;
    for (const file of this.sortedFiles()) {
      const fileId = file.info.fileId;
      if (before !== undefined && fileId > before.fileId) break;
      if (only !== null && !only.has(fileId)) continue;
      if (from !== undefined && fileId < from.fileId) continue;
      const index = file.kinds.get(kind);
      if (index === undefined) continue;
      const count =
        before !== undefined && fileId === before.fileId
          ? countAtMost(index.lines, before.line - 1)
          : index.entities.length;
      const first = from !== undefined && fileId === from.fileId ? countAtMost(index.lines, from.line - 1) : 0;
      if (first >= count) continue;
      parts.push({ list: index.entities, first, count });
      total += count - first;
    }
    const whole = parts.length === 1 && parts[0]!.first === 0 && parts[0]!.count === parts[0]!.list.length;
    if (whole) return parts[0]!.list as readonly Entity[];
    const out = new Array<Entity>(total);
    let at = 0;
    for (const { list, first, count } of parts) for (let i = first; i < count; i++) out[at++] = list[i] as Entity;
    return out;
  }

  async placeOf(kind: TraceEntityKind, n: number, fileId?: string): Promise<EntityPlace | undefined> {
    let left = n;
    for (const file of this.sortedFiles().filter((f) => fileId === undefined || f.info.fileId === fileId)) {
      const lines = file.kinds.get(kind)?.lines ?? EMPTY_LINES;
      if (left < lines.length) return { fileId: file.info.fileId, line: lines[left]! };
      left -= lines.length;
    }
    return undefined;
  }

  async summary(): Promise<StoreSummary> {
    const files = this.sortedFiles();
    return summarize(
      files.map((f) => f.info),
      files.map((f) => f.entities),
    );
  }

  async saveCodeIndex(snapshot: CodeSnapshot): Promise<void> {
    const { files, ...rest } = snapshot;
    this.codeSnapshot = structuredClone(rest);
    if (!files || files.replace) this.codeFiles.clear();
    for (const path of files?.remove ?? []) this.codeFiles.delete(path);
    for (const [path, blob] of files?.write ?? []) this.codeFiles.set(path, blob);
  }

  async loadCodeIndex(): Promise<CodeSnapshot | undefined> {
    return this.codeSnapshot === undefined ? undefined : structuredClone(this.codeSnapshot);
  }

  async loadCodeFiles(paths: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const out = new Map<string, string>();
    for (const path of paths) {
      const blob = this.codeFiles.get(path);
      if (blob !== undefined) out.set(path, blob);
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** By fileId, the order both stores list files in. */
  private sortedFiles(): readonly StoredFile[] {
    this.sortedCache ??= [...this.stored.values()].sort((a, b) =>
      a.info.fileId < b.info.fileId ? -1 : a.info.fileId > b.info.fileId ? 1 : 0,
    );
    return this.sortedCache;
  }

  /** `runAtCache`, made for `runs` (the store's sequence runs, read while no commit can land). */
  private runPositions(runs: readonly SequenceRun[]): IdPositions {
    this.runAtCache ??= new IdPositions(runs);
    return this.runAtCache;
  }

  private forgetDerived(): void {
    this.sortedCache = undefined;
    this.factsCache = undefined;
    this.partsCache = undefined;
    this.runAtCache = undefined;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
