/**
 * What an ingest does with each file before parsing any: skip it (unchanged, a duplicate, superseded) or
 * parse it, under which content id and replacing which earlier content of its path. The store is read once
 * (file-lookup.ts) and files are stat'ed and hashed a few at a time ahead of their turn, so a folder of
 * thousands of small consoles is planned at the speed of reading them, not of a query round trip per lookup.
 * Decisions are made one file after the other, in order, as each may record what a later one looks up.
 */
import { stat } from 'node:fs/promises';
import { contentPrint } from '../importers/content-print.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { FileLookup } from './file-lookup.js';
import type { FileOutcome } from './ingest.js';
import type { BatchFile } from './supersede.js';

/** Files stat'ed and hashed at once ahead of planning (they wait on the disk and the thread pool, not the CPU). */
const READ_AHEAD = 4;

/** What is read of a file to plan it: its size and mtime, and its content print unless the store says it is unchanged. */
interface FileFacts {
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly content: Awaited<ReturnType<typeof contentPrint>> | undefined;
}

type Settled<T> = { readonly value: T } | { readonly error: unknown };

/** Each of `paths` planned, in order: the file to parse, the outcome when it is not parsed, or why it failed. */
export async function* planFiles(
  paths: readonly string[],
  named: (path: string) => string,
  store: TelemetryStore,
): AsyncGenerator<{ readonly path: string; readonly planned: Settled<BatchFile | FileOutcome> }> {
  const lookup = await FileLookup.load(store);
  const facts: Promise<Settled<FileFacts>>[] = [];
  paths.forEach((path, i) => {
    const turn = i < READ_AHEAD ? Promise.resolve() : facts[i - READ_AHEAD]!.then(() => undefined);
    facts.push(turn.then(() => settled(readFacts(path, named(path), lookup))));
  });
  for (const [i, path] of paths.entries()) {
    const read = await facts[i]!;
    const planned = 'error' in read ? read : await settled(plan(path, named(path), lookup, read.value));
    yield { path, planned };
  }
}

async function settled<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

async function readFacts(path: string, name: string, lookup: FileLookup): Promise<FileFacts> {
  const info = await stat(path);
  const facts = { sizeBytes: info.size, mtimeMs: info.mtimeMs, content: undefined };
  return skipped(name, facts, lookup) ? facts : { ...facts, content: await contentPrint(path) };
}

/** The outcome of a file the store already holds as it is now (same path, size and mtime), read no further. */
function skipped(name: string, facts: FileFacts, lookup: FileLookup): FileOutcome | undefined {
  const same = (f: { sizeBytes: number; mtimeMs: number }) =>
    f.sizeBytes === facts.sizeBytes && f.mtimeMs === facts.mtimeMs;
  const known = lookup.findFile({ path: name });
  if (known && same(known)) return { path: name, status: 'unchanged', fileId: known.fileId, diagnostics: [] };
  // Superseded at an earlier ingest and unchanged since: not even read.
  const earlier = lookup.findSuperseded({ path: name });
  if (earlier && same(earlier)) {
    const by = lookup.findFile({ fileId: earlier.by });
    if (by) return { path: name, status: 'superseded', fileId: earlier.fileId, supersededBy: by.path, diagnostics: [] };
  }
  return undefined;
}

async function plan(
  path: string,
  name: string,
  lookup: FileLookup,
  facts: FileFacts,
): Promise<BatchFile | FileOutcome> {
  const unchanged = skipped(name, facts, lookup);
  if (unchanged) return unchanged;
  const { digest, print } = facts.content ?? (await contentPrint(path));
  const fileId = digest.slice(0, 16);
  const same = lookup.findFile({ fileId });
  if (same) {
    const status = same.path === name ? 'unchanged' : 'duplicate';
    return { path: name, status, fileId, sameAs: status === 'duplicate' ? same.path : undefined, diagnostics: [] };
  }
  const known = lookup.findFile({ path: name });
  const replaces = known && known.fileId !== fileId ? known.fileId : null;
  const { sizeBytes, mtimeMs } = facts;
  // The same content as a file already superseded (a copy of it): superseded by the same file.
  const copyOf = lookup.findSuperseded({ fileId });
  const by = copyOf && copyOf.by !== known?.fileId ? lookup.findFile({ fileId: copyOf.by }) : undefined;
  if (by) {
    await lookup.recordSuperseded({ fileId, path: name, sizeBytes, mtimeMs, by: by.fileId });
    if (replaces !== null) await lookup.removeFile(replaces);
    return { path: name, status: 'superseded', fileId, supersededBy: by.path, diagnostics: [] };
  }
  return { path, name, fileId, sizeBytes, mtimeMs, print, replaces };
}
