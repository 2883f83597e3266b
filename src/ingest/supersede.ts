/**
 * Later saves of the same console. A file whose content is a byte prefix of another's (saved at 10:00,
 * then again at 10:30) holds nothing the longer one does not: the longer supersedes it. Prints
 * (`ContentPrint`) name the candidates; reading the longer file's first bytes confirms one. A stored
 * file can only be read again while its path still holds it (same mtime), so a shorter file arriving
 * after a longer one whose file is gone is stored as its own file.
 */
import { stat } from 'node:fs/promises';
import { mayBePrefix, prefixDigest } from '../importers/content-print.js';
import type { ContentPrint } from '../model/index.js';
import type { SupersededFile, TelemetryStore } from '../store/telemetry-store.js';

/** A file of this batch, as planned (before parsing). */
export interface BatchFile {
  /** Where its bytes are read. */
  readonly path: string;
  /** What it is stored and reported as. */
  readonly name: string;
  readonly fileId: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly print: ContentPrint | null;
  /** An earlier content of its path, replaced by it. */
  readonly replaces: string | null;
}

/** A file that holds a given file's whole content at its start. */
export type Container<F> =
  | { readonly kind: 'stored'; readonly fileId: string; readonly name: string }
  | { readonly kind: 'batch'; readonly file: F };

export interface Resolution<F> {
  /** Batch files superseded, with the longest file found holding them. */
  readonly supersededBy: ReadonlyMap<F, Container<F>>;
  /** Batch files left to store, with the files each supersedes (stored ones and batch ones). */
  readonly supersedes: ReadonlyMap<F, readonly Omit<SupersededFile, 'by'>[]>;
}

interface Entry<F> {
  readonly container: Container<F>;
  readonly fileId: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly print: ContentPrint;
  /** Where to read it, once checked: null when its path no longer holds it. */
  readable?: Promise<string | null>;
}

export async function resolvePrefixes<F extends BatchFile>(
  files: readonly F[],
  store: TelemetryStore,
): Promise<Resolution<F>> {
  const replaced = new Set(files.map((f) => f.replaces).filter((id) => id !== null));
  const entries: Entry<F>[] = [];
  for (const s of await store.printedFiles()) {
    if (replaced.has(s.fileId)) continue;
    entries.push({ container: { kind: 'stored', fileId: s.fileId, name: s.path }, ...identity(s), print: s.print });
  }
  for (const f of files) {
    if (f.print === null) continue;
    entries.push({
      container: { kind: 'batch', file: f },
      ...identity(f),
      print: f.print,
      readable: Promise.resolve(f.path),
    });
  }
  const longestFirst = [...entries].sort((a, b) => b.print.contentBytes - a.print.contentBytes);
  const supersededBy = new Map<F, Container<F>>();
  for (const f of files) {
    if (f.print === null) continue;
    for (const longer of longestFirst) {
      if (longer.fileId === f.fileId || !mayBePrefix(f.print, longer.print)) continue;
      if (await holds(longer, f.print)) {
        supersededBy.set(f, longer.container);
        break;
      }
    }
  }
  // Each stored file goes to one superseding file (the longest that holds it): two commits deleting the
  // same rows would conflict.
  const claimed = new Set<string>();
  const supersedes = new Map<F, Omit<SupersededFile, 'by'>[]>();
  const keep = files.filter((f) => !supersededBy.has(f) && f.print !== null);
  for (const f of keep.sort((a, b) => b.print!.contentBytes - a.print!.contentBytes)) {
    const self = entries.find((e) => e.container.kind === 'batch' && e.container.file === f)!;
    const list: Omit<SupersededFile, 'by'>[] = [];
    for (const e of entries) {
      if (e.container.kind !== 'stored' || claimed.has(e.fileId) || !mayBePrefix(e.print, f.print!)) continue;
      if (await holds(self, e.print)) {
        claimed.add(e.fileId);
        list.push(record(e));
      }
    }
    for (const [g, by] of supersededBy) if (by.kind === 'batch' && by.file === f) list.push(record(identity(g)));
    if (list.length > 0) supersedes.set(f, list);
  }
  return { supersededBy, supersedes };
}

/** Whether `longer`'s content starts with the content printed `shorter` (read from its file). */
async function holds<F>(longer: Entry<F>, shorter: ContentPrint): Promise<boolean> {
  if (longer.container.kind === 'stored' && longer.readable === undefined) longer.readable = readableAt(longer);
  const path = await longer.readable!;
  if (path === null) return false;
  return (await prefixDigest(path, shorter.contentBytes).catch(() => null)) === shorter.digest;
}

/** A stored file's path, while it still holds what was stored (same mtime). */
async function readableAt(e: { readonly name: string; readonly mtimeMs: number }): Promise<string | null> {
  const info = await stat(e.name).catch(() => undefined);
  return info?.isFile() && info.mtimeMs === e.mtimeMs ? e.name : null;
}

/** What a superseded record keeps of a file: `name` is what it is stored and reported as. */
function identity(f: {
  readonly fileId: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly path: string;
  readonly name?: string;
}) {
  return { fileId: f.fileId, name: f.name ?? f.path, sizeBytes: f.sizeBytes, mtimeMs: f.mtimeMs };
}

function record(e: ReturnType<typeof identity>): Omit<SupersededFile, 'by'> {
  return { fileId: e.fileId, path: e.name, sizeBytes: e.sizeBytes, mtimeMs: e.mtimeMs };
}
