/**
 * `beatscope ingest`: files in, store updated. Idempotent (content already stored is skipped),
 * incremental (unchanged paths are not even read), atomic per file (a file's entities are committed
 * together or not at all), parallel across files (worker threads parse, this thread writes). A file whose
 * content starts another's is kept once: the longer supersedes the shorter (supersede.ts).
 */
import { availableParallelism } from 'node:os';
import type { Diagnostic, FileInfo } from '../model/index.js';
import type { BeginFileOptions, FileWriter, SupersededFile, TelemetryStore } from '../store/telemetry-store.js';
import { CommitGroup, GROUP_FILE_MAX_BYTES } from './commit-group.js';
import { discoverFiles, type Unreadable } from './discover.js';
import { parseFile } from './parse-file.js';
import { planFiles } from './plan-files.js';
import { parseSplit, planSplit } from './split-file.js';
import { type BatchFile, resolvePrefixes } from './supersede.js';
import { parseInWorkers } from './worker-pool.js';

/** `superseded`: its content is the start of a stored file's (an earlier save of the same console); not stored. */
export type FileStatus = 'ingested' | 'unchanged' | 'duplicate' | 'superseded' | 'failed';

export interface FileOutcome {
  readonly path: string;
  readonly status: FileStatus;
  readonly fileId: string | null;
  /** For `duplicate`: the path already holding the same content. */
  readonly sameAs?: string;
  /** For `superseded`: the path of the stored file whose content starts with this one's. */
  readonly supersededBy?: string;
  /** For `ingested`: the paths of the files it superseded (their entities were removed in its commit). */
  readonly supersedes?: readonly string[];
  readonly info?: FileInfo;
  readonly diagnostics: readonly Diagnostic[];
}

export type IngestEvent =
  | { readonly type: 'plan'; readonly files: number; readonly bytes: number }
  | { readonly type: 'bytes'; readonly path: string; readonly bytes: number }
  | { readonly type: 'file'; readonly outcome: FileOutcome };

export interface IngestOptions {
  readonly store: TelemetryStore;
  /**
   * Worker threads, at most one per file; 0 parses in this thread. Default: one per core up to 4 for files
   * of at least `WORKERS_MIN_BYTES` together; for a single file, one when it has at least `PIPELINE_MIN_BYTES`
   * and the machine two cores; else none.
   */
  readonly workers?: number;
  readonly gapThresholdMs?: number;
  /** Importer id (`IMPORTERS` in importers/registry.ts) for every file, instead of detecting each file's format. */
  readonly format?: string;
  readonly onEvent?: (event: IngestEvent) => void;
  /**
   * Absolute path → the name its file is stored and reported under: standard input is read into a temporary
   * file, stored as `stdin` (or `--source-name`), so ingesting the same stream again finds it.
   */
  readonly sourceNames?: ReadonlyMap<string, string>;
  /**
   * Set: a single file of at least twice this many bytes is cut at line starts into chunks of about this
   * size (split-file.ts `DEFAULT_CHUNK_BYTES` = 8 MiB is a good size), parsed by `workers` threads (default
   * one per core up to 4) while this thread rebuilds and stores. Off by default: on a 2-core machine shared
   * with other work, the chunks' transfer and the threads' collectors cost more CPU than the threads saved
   * (`npm run bench` measures both ways).
   */
  readonly chunkBytes?: number;
}

export interface IngestReport {
  readonly outcomes: readonly FileOutcome[];
  /** Inputs that matched no file. */
  readonly missing: readonly string[];
  /** Inputs (or files and folders found in them) that exist but could not be read; the others were ingested. */
  readonly unreadable: readonly Unreadable[];
}

/** A file as planned (supersede.ts `BatchFile`), with what its commit removes. */
interface Planned extends BatchFile {
  /** Files whose content starts this one's, removed and recorded in its commit. */
  readonly supersedes?: readonly Omit<SupersededFile, 'by'>[];
}

export async function ingest(inputs: readonly string[], options: IngestOptions): Promise<IngestReport> {
  const { files, missing, unreadable } = await discoverFiles(inputs);
  const outcomes: FileOutcome[] = [];
  const report = (o: FileOutcome) => {
    outcomes.push(o);
    options.onEvent?.({ type: 'file', outcome: o });
  };
  const planned: Planned[] = [];
  const inBatch = new Map<string, string>(); // fileId → the path planned for it in this batch
  const named = (path: string) => options.sourceNames?.get(path) ?? path;
  for await (const { path, planned: read } of planFiles(files, named, options.store)) {
    const p = 'error' in read ? failed(named(path), null, read.error) : read.value;
    if ('status' in p) report(p);
    else if (inBatch.has(p.fileId)) {
      // The same content twice in one batch (a log and its .gz, a copy): ingested once.
      report({
        path: named(path),
        status: 'duplicate',
        fileId: p.fileId,
        sameAs: inBatch.get(p.fileId),
        diagnostics: [],
      });
    } else {
      inBatch.set(p.fileId, named(path));
      planned.push(p);
    }
  }
  const prefixes = await resolvePrefixes(planned, options.store);
  /** Superseded by a file of this batch: settled once that one is (parsed after all if it fails). */
  const waiting = new Map<Planned, Planned>();
  for (const [p, by] of prefixes.supersededBy) {
    if (by.kind === 'batch') waiting.set(p, by.file);
    else {
      await options.store.recordSuperseded(supersededRecord(p, by.fileId));
      if (p.replaces !== null) await options.store.removeFile(p.replaces);
      report(supersededOutcome(p, by.name));
    }
  }
  const toParse = planned
    .filter((p) => !prefixes.supersededBy.has(p))
    .map((p) => ({ ...p, supersedes: prefixes.supersedes.get(p) }));
  await parseAll(toParse, options, report);
  const settledOk = new Set(outcomes.filter((o) => o.status === 'ingested').map((o) => o.path));
  const orphans: Planned[] = [];
  for (const [p, by] of waiting) {
    if (!settledOk.has(by.name)) orphans.push(p);
    else {
      // Its record was written in the superseding file's commit; its path's earlier content goes now.
      if (p.replaces !== null) await options.store.removeFile(p.replaces);
      report(supersededOutcome(p, by.name));
    }
  }
  // The file that held them failed: they are stored after all.
  if (orphans.length > 0) await parseAll(orphans, options, report);
  return { outcomes: sortByPath(outcomes), missing, unreadable };
}

async function parseAll(planned: readonly Planned[], options: IngestOptions, report: (o: FileOutcome) => void) {
  const sizes = planned.map((p) => p.sizeBytes);
  options.onEvent?.({ type: 'plan', files: planned.length, bytes: sizes.reduce((a, b) => a + b, 0) });
  const workerCount = parserThreads(sizes, options.workers, availableParallelism());
  // The worker script is compiled JavaScript (dist/); running from the TypeScript sources, parse here.
  const canUseWorkers = import.meta.url.endsWith('.js');
  // One big file, when asked: its chunks across the cores (`workers: 1` keeps one thread for the whole file).
  const only = planned.length === 1 ? planned[0]! : undefined;
  if (only && canUseWorkers && options.chunkBytes !== undefined && (options.workers ?? 2) >= 2) {
    const outcome = await parseSplitHere(only, options, options.workers ?? defaultWorkers());
    if (outcome !== undefined) return report(outcome);
  }
  const begin = writerFactory(planned, options.store);
  if (workerCount > 0 && canUseWorkers) {
    await parseInWorkers(planned, workerCount, {
      begin,
      request: (p) => ({
        path: p.path,
        fileId: p.fileId,
        gapThresholdMs: options.gapThresholdMs,
        format: options.format,
      }),
      onBytes: (path, bytes) => options.onEvent?.({ type: 'bytes', path, bytes }),
      settle: async (writer, p, info, complete) => report(await settle(writer, p, info, complete)),
      fail: (p, message) => report(failed(p.name, p.fileId, new Error(message))),
    });
  } else {
    // A file's commit may wait for its group's, which waits for the files after it: it is not waited for here.
    const settling: Promise<void>[] = [];
    for (const p of planned) settling.push((await parseHere(p, options, begin)).outcome.then(report));
    await Promise.all(settling);
  }
}

/**
 * Store writers for `planned`: small files share commit groups where the store can write them (commit-group.ts),
 * others get a transaction of their own.
 */
function writerFactory(planned: readonly Planned[], store: TelemetryStore): (p: Planned) => Promise<FileWriter> {
  const own = (p: Planned) => store.beginFile(p.fileId, beginOptions(p));
  const grouped = (p: Planned) => p.sizeBytes <= GROUP_FILE_MAX_BYTES;
  const count = planned.filter(grouped).length;
  // One small file has nothing to share a transaction with.
  if (count < 2 || !CommitGroup.supports(store)) return own;
  const group = new CommitGroup(store, count);
  return async (p) => (grouped(p) ? group.writer(p.fileId, beginOptions(p), p.sizeBytes) : own(p));
}

/** What a planned file's writer removes and records at its commit. */
function beginOptions(p: Planned): BeginFileOptions {
  return { replaces: p.replaces, print: p.print, supersedes: p.supersedes };
}

/**
 * Bytes from which a single file is parsed in a thread of its own while this thread appends to the store.
 * Measured on 2 cores (December 2026, load 1.2–2, alternated): a 200 MiB log 8.7–9.4 s against 10.0–10.2 s
 * parsed here; a 64 MiB log 4.7–5.8 s against 4.6–6.1 s, the same within noise: below this size the
 * thread's start and the batches' transfer eat what the overlap saves.
 */
const PIPELINE_MIN_BYTES = 128 * 1024 * 1024;

/**
 * Bytes of logs, together, from which several files are parsed in worker threads by default: each thread first
 * loads the parser (~0.3 s) and its batches cross threads. Measured on 2 cores (December 2026, alternated, into a
 * new DuckDB store): consoles of 256 KiB — 6 demo logs (1.3 MB) 0.46–0.55 s here against 0.63–0.76 s in threads,
 * 16 MiB 1.64–1.68 s against 2.04–2.15 s, 32 MiB 2.90–3.01 s against 3.12–3.15 s, 100 MiB 6.9–7.1 s against
 * 6.2–6.4 s.
 */
const WORKERS_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Parser threads for files of `sizes` bytes on `cores` cores: `workers` when given (at most one per file).
 * By default, threads pay off across files when there is enough to parse (WORKERS_MIN_BYTES): one per core, at
 * most 4 (`defaultWorkers`) and one per file; and for one big file on 2+ cores (PIPELINE_MIN_BYTES): its thread
 * parses, rebuilds and encodes while this one appends. Otherwise 0: parsed in this thread.
 */
export function parserThreads(sizes: readonly number[], workers: number | undefined, cores: number): number {
  if (workers !== undefined) return Math.min(workers, sizes.length);
  const bytes = sizes.reduce((a, b) => a + b, 0);
  if (sizes.length >= 2) return bytes >= WORKERS_MIN_BYTES ? Math.min(defaultWorkers(cores), sizes.length) : 0;
  return sizes.length === 1 && cores >= 2 && bytes >= PIPELINE_MIN_BYTES ? 1 : 0;
}

function supersededRecord(p: Planned, by: string): SupersededFile {
  return { fileId: p.fileId, path: p.name, sizeBytes: p.sizeBytes, mtimeMs: p.mtimeMs, by };
}

function supersededOutcome(p: Planned, byName: string): FileOutcome {
  return { path: p.name, status: 'superseded', fileId: p.fileId, supersededBy: byName, diagnostics: [] };
}

/**
 * One parser thread per core, at most 4: this thread appends every file's batches (about 1 s per 100 MB
 * of log, against 2.3 s to parse and encode it in a worker), so it keeps up with about 2-3 parsers, and
 * each file being parsed holds an open transaction (memory) until it commits.
 */
function defaultWorkers(cores = availableParallelism()): number {
  return Math.min(cores, 4);
}

/** `p` parsed in chunks by `workers` threads; undefined when it is not split or must be parsed whole after all. */
async function parseSplitHere(p: Planned, options: IngestOptions, workers: number): Promise<FileOutcome | undefined> {
  if (p.sizeBytes < 2 * (options.chunkBytes ?? 0)) return undefined;
  const plan = await planSplit(p.path, options);
  if (plan === undefined) return undefined;
  const writer = await options.store.beginFile(p.fileId, beginOptions(p));
  try {
    const parsed = await parseSplit(plan, (batch) => writer.append(batch), {
      fileId: p.fileId,
      workers,
      gapThresholdMs: options.gapThresholdMs,
      onProgress: (bytes) => options.onEvent?.({ type: 'bytes', path: p.path, bytes }),
    });
    if (parsed !== undefined) return await settle(writer, p, parsed.info, parsed.complete);
    await writer.abort();
    return undefined;
  } catch (error) {
    await writer.abort();
    return failed(p.name, p.fileId, error);
  }
}

/**
 * Parses `p` in this thread, appending as it goes. Resolves once the file is read, with its outcome to come:
 * the commit may wait for the file's commit group (commit-group.ts).
 */
async function parseHere(
  p: Planned,
  options: IngestOptions,
  begin: (p: Planned) => Promise<FileWriter>,
): Promise<{ readonly outcome: Promise<FileOutcome> }> {
  const writer = await begin(p);
  const failing = async (error: unknown) => {
    await writer.abort();
    return failed(p.name, p.fileId, error);
  };
  let writes = Promise.resolve();
  try {
    const { info, complete } = await parseFile(
      p.path,
      p.fileId,
      (batch) => {
        writes = writes.then(() => writer.append(batch));
      },
      {
        gapThresholdMs: options.gapThresholdMs,
        format: options.format,
        onProgress: (bytes) => options.onEvent?.({ type: 'bytes', path: p.path, bytes }),
      },
    );
    await writes;
    return { outcome: settle(writer, p, info, complete).catch(failing) };
  } catch (error) {
    await writes.catch(() => undefined);
    return { outcome: failing(error) };
  }
}

/**
 * Commits a fully read file. A file whose reading stopped early (gone, unreadable, binary) is not
 * stored, so a later ingest tries it again; its diagnostics say why.
 */
async function settle(writer: FileWriter, p: Planned, parsed: FileInfo, complete: boolean): Promise<FileOutcome> {
  const name = p.name;
  const info =
    name === p.path
      ? parsed
      : {
          ...parsed,
          path: name,
          diagnostics: parsed.diagnostics.map((d) => (d.file === p.path ? { ...d, file: name } : d)),
        };
  if (!complete) {
    await writer.abort();
    return { path: name, status: 'failed', fileId: p.fileId, info, diagnostics: info.diagnostics };
  }
  await writer.commit(info);
  const supersedes = p.supersedes?.map((s) => s.path);
  return { path: name, status: 'ingested', fileId: p.fileId, info, diagnostics: info.diagnostics, supersedes };
}

function failed(path: string, fileId: string | null, error: unknown): FileOutcome {
  const message = error instanceof Error ? error.message : String(error);
  return { path, status: 'failed', fileId, diagnostics: [{ file: path, line: 0, severity: 'error', message }] };
}

function sortByPath(outcomes: FileOutcome[]): FileOutcome[] {
  return outcomes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
