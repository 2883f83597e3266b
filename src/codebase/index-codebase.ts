/**
 * Entry point: walk → per-file facts (reused from `previous` when path, mtime and size match, or when the
 * content hash matches after a touch) → link step. Keep the returned state and pass it back as
 * `previous` to re-index: only new or changed files are parsed again, and, when the state object is the
 * one this process returned, only what the changed files can reach is re-linked (the link session lives
 * in memory beside the state; a state read back from disk gets a full link, with the same result).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CodeIndex } from '../model/code-index.js';
import { buildIndex } from './build-index.js';
import { extractFacts } from './extract-facts.js';
import type { FileFacts } from './facts.js';
import type { LinkSession } from './link-session.js';
import { walkRepo } from './walk.js';

export interface CachedFile {
  readonly mtimeMs: number;
  readonly size: number;
  /** sha1 of the content, hex. */
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
  /** Test files whose handler links were computed; the rest were replayed from the previous pass. */
  readonly testFilesLinked: number;
  readonly walkMs: number;
  readonly extractMs: number;
  readonly linkMs: number;
  readonly totalMs: number;
}

/** Plain JSON-serialisable data: callers may persist it between processes. */
export interface CodeIndexState {
  readonly version: 1;
  readonly root: string;
  readonly files: Readonly<Record<string, CachedFile>>;
  readonly stats: IndexStats;
}

export interface IndexOptions {
  readonly previous?: CodeIndexState;
}

/** Not a state field: the state stays plain JSON data. Taken (deleted) on use, since a re-link patches it. */
const sessions = new WeakMap<CodeIndexState, LinkSession>();

const hashOf = (text: string): string => createHash('sha1').update(text).digest('hex');

export async function indexCodebase(
  rootDir: string,
  options: IndexOptions = {},
): Promise<{ index: CodeIndex; state: CodeIndexState }> {
  const t0 = performance.now();
  const root = path.resolve(rootDir);
  const previous = options.previous?.version === 1 && options.previous.root === root ? options.previous : null;
  const prev = previous?.files ?? {};
  const session = previous ? sessions.get(previous) : undefined;
  if (previous) sessions.delete(previous);
  const walk = walkRepo(root);
  const t1 = performance.now();
  const files: Record<string, CachedFile> = {};
  const facts = new Map<string, FileFacts>();
  let parsed = 0;
  let reused = 0;
  for (const f of walk.files) {
    const cached = prev[f.rel];
    let entry: CachedFile;
    if (cached && cached.mtimeMs === f.mtimeMs && cached.size === f.size) {
      entry = cached;
      reused++;
    } else {
      let text: string;
      try {
        text = fs.readFileSync(f.abs, 'utf8');
      } catch (err) {
        walk.problems.push({
          file: f.rel,
          line: 0,
          severity: 'warning',
          message: `cannot read file: ${(err as Error).message}`,
        });
        continue;
      }
      const hash = hashOf(text);
      if (cached && cached.hash === hash) {
        entry = { ...cached, mtimeMs: f.mtimeMs, size: f.size };
        reused++;
      } else {
        entry = { mtimeMs: f.mtimeMs, size: f.size, hash, facts: extractFacts(f.rel, f.kind, text) };
        parsed++;
      }
    }
    files[f.rel] = entry;
    facts.set(f.rel, entry.facts);
  }
  const t2 = performance.now();
  const { index, session: nextSession, testFilesLinked } = buildIndex(root, facts, walk.problems, session);
  const t3 = performance.now();
  const stats: IndexStats = {
    files: walk.files.length,
    parsed,
    reused,
    testFilesLinked,
    walkMs: t1 - t0,
    extractMs: t2 - t1,
    linkMs: t3 - t2,
    totalMs: t3 - t0,
  };
  const state: CodeIndexState = { version: 1, root, files, stats };
  if (nextSession) sessions.set(state, nextSession);
  return { index, state };
}
