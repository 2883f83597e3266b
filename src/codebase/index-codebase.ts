/**
 * Entry point: walk → per-file facts (reused from `previous` when path, mtime and size match, or when the
 * content hash matches after a touch) → link step. Keep the returned state and pass it back as
 * `previous` to re-index: only new or changed files are parsed again, only what they can reach is linked
 * again and the previous index is patched (see link-session.ts). The link session and the folder listings
 * live in memory beside the state; `encodeState`/`decodeState` (code-state.ts) carry the state and the
 * session to another process, which then reads the facts of unchanged files from the store on demand.
 * Added or removed files, or JSON changes, get a full link over the cached facts, with the same result.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CodeIndex } from '../model/code-index.js';
import { buildIndex, type LinkResult } from './build-index.js';
import { extractFacts } from './extract-facts.js';
import type { FileFacts } from './facts.js';
import { MissingFacts } from './lazy-facts.js';
import type { FileChange, LinkSession } from './link-session.js';
import { type FileVisitor, type ListedFile, settled, type WalkListings, walkRepo } from './walk.js';

export interface CachedFile {
  readonly mtimeMs: number;
  readonly size: number;
  /** Content hash (see `hashOf`). */
  readonly hash: string;
  readonly facts: FileFacts;
}

export interface IndexStats {
  /** Files the index looked at (after the walk's filters). */
  readonly files: number;
  /** Files read and parsed this time. */
  readonly parsed: number;
  /** Files whose facts came from `previous` (unchanged, or touched with identical content). */
  readonly reused: number;
  /** Test files whose handler links were computed; the rest kept theirs from the previous pass. */
  readonly testFilesLinked: number;
  /** Listing folders and stat'ing files. */
  readonly walkMs: number;
  /** Reading, hashing and parsing the files that may have changed. */
  readonly extractMs: number;
  readonly linkMs: number;
  readonly totalMs: number;
}

/** Plain data (the files map holds plain objects); `encodeState` (code-state.ts) stores it between processes. */
export interface CodeIndexState {
  readonly version: 3;
  readonly root: string;
  /** Epoch ms when the walk that read `files` began: entries not `settled` by then are read again. */
  readonly walkStartedMs: number;
  /** By root-relative path, in walk order. */
  readonly files: ReadonlyMap<string, CachedFile>;
  readonly stats: IndexStats;
}

export interface IndexOptions {
  readonly previous?: CodeIndexState;
}

/** Loads facts a state read back from a store holds lazily (see code-state.ts, lazy-facts.ts). */
export interface FactsLoader {
  /** Loads the facts of the entries that lack them (into the entries and the session restored with them). */
  load(entries: Iterable<readonly [string, CachedFile]>): Promise<void>;
  /** `files` and every module they import, directly or not (as far as the restored session knows). */
  closure(files: Iterable<string>): Iterable<string>;
}

interface Carried {
  /** Taken on use, since a re-link patches it. */
  readonly session: LinkSession | null;
  /** Taken on use. */
  readonly listings: WalkListings | null;
  readonly facts: FactsLoader | null;
}

/** Not state fields: the state stays plain data. */
const carried = new WeakMap<CodeIndexState, Carried>();

/** What this process keeps beside `state` (for code-state.ts). */
export const carriedOf = (state: CodeIndexState): Carried | undefined => carried.get(state);

/** Registers what `decodeState` rebuilt beside the state it read back. */
export function carryRestored(state: CodeIndexState, session: LinkSession | null, facts: FactsLoader): void {
  carried.set(state, { session, listings: null, facts });
}

/** 96 bits of SHA-1, base64url: plenty to tell contents apart, and short in the stored state. */
const hashOf = (text: string): string => createHash('sha1').update(text).digest('base64url').slice(0, 16);

export async function indexCodebase(
  rootDir: string,
  options: IndexOptions = {},
): Promise<{ index: CodeIndex; state: CodeIndexState }> {
  const t0 = performance.now();
  const root = path.resolve(rootDir);
  const previous = options.previous?.version === 3 && options.previous.root === root ? options.previous : null;
  const prevFiles = previous?.files;
  const since = previous?.walkStartedMs ?? 0;
  const carry = previous ? carried.get(previous) : undefined;
  if (previous && carry) carried.set(previous, { session: null, listings: null, facts: carry.facts });
  const loader = carry?.facts ?? null;

  const walkStartedMs = Date.now();
  const files = new Map<string, CachedFile>();
  const toRead: { file: ListedFile; size: number; mtimeMs: number }[] = [];
  // Unchanged files are taken over during the walk; the others keep their place and are read after it
  // (stat'ing in one run, not between reads and parses, keeps the system calls fast).
  const visit: FileVisitor = (file, size, mtimeMs) => {
    const cached = prevFiles?.get(file.rel);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size && settled(mtimeMs, since)) {
      files.set(file.rel, cached);
    } else {
      files.set(file.rel, PENDING);
      toRead.push({ file, size, mtimeMs });
    }
  };
  const walked = walkRepo(root, visit, { previous: carry?.listings ?? undefined });
  const problems = walked.problems;
  const walkedFiles = files.size;
  const t1 = performance.now();

  const changed: string[] = [];
  let added = 0;
  let parsed = 0;
  for (const { file, size, mtimeMs } of toRead) {
    let text: string;
    try {
      text = fs.readFileSync(file.abs, 'utf8');
    } catch (err) {
      problems.push({
        file: file.rel,
        line: 0,
        severity: 'warning',
        message: `cannot read file: ${(err as Error).message}`,
      });
      files.delete(file.rel);
      continue;
    }
    const hash = hashOf(text);
    const cached = prevFiles?.get(file.rel);
    if (cached && cached.hash === hash) {
      files.set(file.rel, cached.mtimeMs === mtimeMs && cached.size === size ? cached : { ...cached, mtimeMs, size });
      continue;
    }
    files.set(file.rel, { mtimeMs, size, hash, facts: extractFacts(file.rel, file.kind, text) });
    parsed++;
    if (cached) changed.push(file.rel);
    else added++;
  }
  const reused = files.size - parsed;
  const t2 = performance.now();
  // Every walked file that is not new was in `previous`, so equal counts mean nothing was removed.
  const sameFiles = added === 0 && files.size === prevFiles?.size;
  const allFacts = async (): Promise<Map<string, FileFacts>> => {
    await loader?.load(files);
    const facts = new Map<string, FileFacts>();
    for (const [rel, e] of files) facts.set(rel, e.facts);
    return facts;
  };
  let linked: LinkResult;
  try {
    let changes: FileChange[] | null = null;
    if (carry?.session && sameFiles) {
      await loader?.load(changed.map((file) => [file, prevFiles!.get(file)!] as const));
      changes = changed.map((file) => ({ file, before: prevFiles!.get(file)!.facts, after: files.get(file)!.facts }));
    }
    const ensure = loader
      ? (paths: Iterable<string>) => loader.load([...loader.closure(paths)].map((p) => [p, files.get(p)!] as const))
      : undefined;
    const previousLink = carry?.session ? { session: carry.session, changes, ensure } : undefined;
    linked = await buildIndex(root, allFacts, problems, previousLink);
  } catch (err) {
    // A re-link over lazily read facts reached one it did not load: link everything instead.
    if (!(err instanceof MissingFacts)) throw err;
    linked = await buildIndex(root, allFacts, problems);
  }
  const { index, session, testFilesLinked } = linked;
  const t3 = performance.now();
  const stats: IndexStats = {
    files: walkedFiles,
    parsed,
    reused,
    testFilesLinked,
    walkMs: t1 - t0,
    extractMs: t2 - t1,
    linkMs: t3 - t2,
    totalMs: t3 - t0,
  };
  const state: CodeIndexState = { version: 3, root, walkStartedMs, files, stats };
  carried.set(state, { session, listings: walked.listings, facts: loader });
  return { index, state };
}

/** Placeholder that keeps a file's place in walk order until it is read. */
const PENDING: CachedFile = { mtimeMs: 0, size: 0, hash: '', facts: { problems: [] } };
