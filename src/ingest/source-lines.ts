/**
 * The text of stored lines, read back from their log file. The store keeps where every entity came from
 * (file and 1-based line) but not the text of recognized lines: the log file has it. This reads it from
 * the file while the file still holds what was ingested (same size and mtime, or its content still starts
 * with the ingested bytes), numbered exactly as the ingest numbered it. When the file is gone or changed,
 * the lines whose text the store does keep (unknown lines, warnings and errors) come from the store, and
 * the others are reported as not available, with the reason.
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { contentPrint, prefixDigest } from '../importers/content-print.js';
import { readFirstLines, readLinesFrom } from '../importers/line-reader.js';
import { findLineStart } from '../importers/line-starts.js';
import type { FileInfo } from '../model/index.js';
import { sqlString } from '../store/sql-string.js';
import { isSqlStore, type SqlStore, type TelemetryStore } from '../store/telemetry-store.js';

/** `<file>:<line>` or `<file>:<first>-<last>`: a stored file (path, file name or file id) and 1-based lines. */
export interface LineRef {
  readonly file: string;
  readonly first: number;
  readonly last: number;
}

/** Whether the file at the stored path still holds the content that was ingested. */
export type FileState = 'unchanged' | 'changed' | 'missing';

export interface SourceLine {
  readonly line: number;
  /** Null when neither the file (gone or changed) nor the store has it. */
  readonly text: string | null;
  /** Asked for, rather than context around what was asked. */
  readonly requested: boolean;
  /** Where the text came from. */
  readonly from: 'file' | 'store' | null;
}

export interface SourceLines {
  readonly file: Pick<FileInfo, 'fileId' | 'path' | 'format' | 'lines' | 'sizeBytes' | 'mtimeMs'>;
  readonly fileState: FileState;
  readonly lines: readonly SourceLine[];
}

/** A reference or request that cannot be answered: printed as one line, exit code 2. */
export class LineRefError extends Error {}

const REF_RE = /^(.+):(\d+)(?:-(\d+))?$/;

export function parseLineRef(ref: string): LineRef {
  const m = REF_RE.exec(ref);
  if (m === null) throw new LineRefError(`"${ref}" is not <file>:<line> or <file>:<first>-<last>`);
  const first = Number(m[2]);
  const last = m[3] === undefined ? first : Number(m[3]);
  if (first < 1 || last < first) throw new LineRefError(`"${ref}": lines are 1-based and first ≤ last`);
  return { file: m[1]!, first, last };
}

/** Tables of entities with a line span (`start_line`..`end_line`) or one `line`, looked up by id. */
const SPANNED = ['sessions', 'sequence_runs', 'movement_runs', 'beat_runs', 'plugin_mounts'] as const;
const ONE_LINE = ['handler_runs', 'baton_diffs', 'handler_errors'] as const;

/**
 * The lines an entity came from: `id` an entity's id (a session, a sequence, movement or beat run, a handler
 * run, a DataBaton diff, a handler error, a plugin mount) or a sequence run's request id. Undefined when no
 * entity has it; an error when a request id names several runs.
 */
export async function entityLineRef(store: SqlStore, id: string): Promise<LineRef | undefined> {
  const key = sqlString(id);
  const spans = [
    ...SPANNED.map(
      (t) => `SELECT file_id, start_line AS first_line, end_line AS last_line FROM ${t} WHERE id = ${key}`,
    ),
    ...ONE_LINE.map((t) => `SELECT file_id, line AS first_line, line AS last_line FROM ${t} WHERE id = ${key}`),
    `SELECT file_id, start_line AS first_line, end_line AS last_line FROM sequence_runs WHERE request_id = ${key}`,
  ];
  const rows = await store.query(
    `SELECT DISTINCT file_id, first_line, last_line FROM (${spans.join(' UNION ALL ')}) AS spans`,
  );
  if (rows.length === 0) return undefined;
  if (rows.length > 1) {
    const where = rows.map((r) => `${String(r['file_id'])}:${Number(r['first_line'])}`).join(', ');
    throw new LineRefError(`${id} names ${rows.length} runs (${where}); give one of them as <file>:<line>`);
  }
  const row = rows[0]!;
  return { file: String(row['file_id']), first: Number(row['first_line']), last: Number(row['last_line']) };
}

/**
 * What a reference names: `<file>:<line>[-<last>]`, else (on a store that answers SQL) an entity's id or a
 * sequence run's request id.
 */
export async function resolveLineRef(store: TelemetryStore, ref: string): Promise<LineRef> {
  try {
    return parseLineRef(ref);
  } catch (error) {
    const entity = isSqlStore(store) ? await entityLineRef(store, ref) : undefined;
    if (entity !== undefined) return entity;
    throw error instanceof LineRefError
      ? new LineRefError(`"${ref}" is not <file>:<line>, <file>:<first>-<last>, a stored entity's id or a request id`)
      : error;
  }
}

/**
 * The stored file `query` names: its stored path, that path relative to the current folder, its file name
 * when one stored file has it, or a prefix (4+ hex digits) of its file id.
 */
export async function findStoredFile(store: TelemetryStore, query: string): Promise<FileInfo> {
  const files = await store.files();
  const absolute = resolve(query);
  const byPath = files.find((f) => f.path === query || f.path === absolute);
  if (byPath) return byPath;
  const byName = files.filter((f) => basename(f.path) === query);
  const byId = /^[0-9a-f]{4,16}$/.test(query) ? files.filter((f) => f.fileId.startsWith(query)) : [];
  const candidates = [...new Set([...byName, ...byId])];
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0)
    throw new LineRefError(`no stored file is ${query} (beatscope sql "select file_id, path from files" lists them)`);
  const names = candidates.map((f) => `${f.path} (${f.fileId})`).join(', ');
  throw new LineRefError(`${query} names ${candidates.length} stored files: ${names}; give the path or file id`);
}

/**
 * The timeline options `--log <file>` (a stored log file: path, file name or file id prefix) or `--at <where>` (the
 * file and line of `<file>:<line>`, an entity id or a request id) name: `beatscope report timeline` and `serve`'s
 * `?log=`, `?at=`. A LineRefError when they name nothing stored.
 */
export async function timelineTarget(
  store: TelemetryStore,
  { log, at }: { readonly log?: string; readonly at?: string },
): Promise<{ timelineFile?: string; timelineLine?: number }> {
  if (at !== undefined) {
    const ref = await resolveLineRef(store, at);
    const file = await findStoredFile(store, ref.file);
    checkLineOf(file, ref.first);
    return { timelineFile: file.fileId, timelineLine: ref.first };
  }
  return log === undefined ? {} : { timelineFile: (await findStoredFile(store, log)).fileId };
}

/** Refuses a line past the end of a stored file (LineRefError). */
export function checkLineOf(file: Pick<FileInfo, 'path' | 'lines'>, line: number): void {
  if (line > file.lines)
    throw new LineRefError(`${file.path} had ${file.lines} lines when it was ingested; there is no line ${line}`);
}

/** Lines `ref.first..ref.last` of a stored file, with `context` lines around them (clipped to the file). */
export async function sourceLines(
  store: TelemetryStore,
  ref: LineRef,
  options: { readonly context?: number } = {},
): Promise<SourceLines> {
  const file = await findStoredFile(store, ref.file);
  checkLineOf(file, ref.first);
  const context = Math.max(0, options.context ?? 0);
  const from = Math.max(1, ref.first - context);
  const to = Math.min(file.lines, ref.last + context);
  const state = await fileState(store, file);
  const texts = new Map<number, { text: string; from: 'file' | 'store' }>();
  if (state === 'unchanged') {
    const onLine = (text: string, line: number) => {
      if (line >= from) texts.set(line, { text, from: 'file' });
    };
    // A plain UTF-8 log is entered at the first line wanted, found on its bytes; any other from its start.
    const at =
      file.encoding === 'utf-8' && !file.gzip ? await findLineStart(file.path, from).catch(() => undefined) : undefined;
    if (at !== undefined) await readLinesFrom(file.path, at, to, onLine);
    else await readFirstLines(file.path, to, onLine);
  } else {
    const kept = [
      ...(await store.entities('unknown-line', { fileIds: [file.fileId] })),
      ...(await store.entities('log-message', { fileIds: [file.fileId] })),
    ];
    for (const e of kept) if (e.line >= from && e.line <= to) texts.set(e.line, { text: e.text, from: 'store' });
  }
  const lines: SourceLine[] = [];
  for (let line = from; line <= to; line++) {
    const found = texts.get(line);
    lines.push({
      line,
      text: found?.text ?? null,
      requested: line >= ref.first && line <= ref.last,
      from: found?.from ?? null,
    });
  }
  const { fileId, path, format, sizeBytes, mtimeMs } = file;
  return { file: { fileId, path, format, lines: file.lines, sizeBytes, mtimeMs }, fileState: state, lines };
}

/** The lines a reference names (`resolveLineRef`), with `context` lines around them: what `beatscope lines` prints. */
export async function sourceLinesOf(
  store: TelemetryStore,
  ref: string,
  options: { readonly context?: number } = {},
): Promise<SourceLines> {
  return sourceLines(store, await resolveLineRef(store, ref), options);
}

/**
 * Unchanged when size and mtime are as ingested (the check ingest itself makes), or when the content still
 * starts with the ingested content (a log that grew, or was copied or touched): its SHA-256 over the
 * ingested length equals the stored digest (the file id, for files too small to have a print).
 */
async function fileState(store: TelemetryStore, file: FileInfo): Promise<FileState> {
  const info = await stat(file.path).catch(() => undefined);
  if (info === undefined || !info.isFile()) return 'missing';
  if (info.size === file.sizeBytes && info.mtimeMs === file.mtimeMs) return 'unchanged';
  const print = (await store.printedFiles()).find((f) => f.fileId === file.fileId)?.print;
  const same =
    print !== undefined
      ? (await prefixDigest(file.path, print.contentBytes).catch(() => null)) === print.digest
      : (await contentPrint(file.path).catch(() => undefined))?.digest.startsWith(file.fileId) === true;
  return same ? 'unchanged' : 'changed';
}

/** Why a line has no text: one sentence for the user. */
export function missingReason(result: SourceLines): string {
  const { path } = result.file;
  const why =
    result.fileState === 'missing'
      ? `${path} is not there any more`
      : `${path} changed since it was ingested (it no longer starts with the ingested content)`;
  return `${why}, and the store keeps the text of unknown lines, warnings and errors only`;
}
