/**
 * Turns the user's `<files|dirs|globs...>` into a sorted list of files. Directories are walked for
 * log-like files; explicit files are taken whatever their extension.
 */
import { constants, type Stats } from 'node:fs';
import { access, lstat, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** Extensions picked up when walking a directory (explicit file arguments are always taken). */
const LOG_EXTENSIONS = /\.(?:log|txt|out|jsonl|ndjson|tsv|gz)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '.beatscope']);

export interface Discovery {
  readonly files: readonly string[];
  /** Inputs that matched nothing: reported, not fatal. */
  readonly missing: readonly string[];
  /** Inputs and entries of walked directories that exist but cannot be read: the rest is ingested, the exit is 2. */
  readonly unreadable: readonly Unreadable[];
}

export interface Unreadable {
  readonly path: string;
  /** Why, for people: `EACCES: permission denied`, `a FIFO, not a regular file`, `dangling symbolic link`. */
  readonly reason: string;
}

export async function discoverFiles(inputs: readonly string[]): Promise<Discovery> {
  const files = new Set<string>();
  const missing: string[] = [];
  const unreadable: Unreadable[] = [];
  for (const input of inputs) {
    if (isDynamicPattern(input)) {
      const matches = await glob(input, { absolute: true, onlyFiles: true, dot: false });
      if (matches.length === 0) missing.push(input);
      for (const m of matches) files.add(resolve(m));
      continue;
    }
    const path = resolve(input);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      if (info.code !== 'ENOENT') unreadable.push({ path, reason: why(info) });
      else if ((await lstat(path).catch(() => undefined))?.isSymbolicLink())
        unreadable.push({ path, reason: 'dangling symbolic link (its target does not exist)' });
      else missing.push(input);
    } else if (info.isDirectory()) await walk(path, files, unreadable);
    else await addFile(path, info.isFile() ? undefined : kindOf(info), files, unreadable);
  }
  return { files: [...files].sort(), missing, unreadable };
}

async function walk(dir: string, into: Set<string>, unreadable: Unreadable[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    unreadable.push({ path: dir, reason: why(error) });
    return [];
  });
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(p, into, unreadable);
    } else if (e.isFile() && LOG_EXTENSIONS.test(e.name)) await addFile(p, undefined, into, unreadable);
  }
}

/** A regular file the process may read is taken; anything else is listed with the reason. */
async function addFile(path: string, notRegular: string | undefined, into: Set<string>, unreadable: Unreadable[]) {
  if (notRegular !== undefined) {
    // Opening a FIFO blocks until a writer comes: it is never opened here.
    unreadable.push({ path, reason: `${notRegular}, not a regular file (pipe it to \`beatscope ingest -\`)` });
    return;
  }
  const denied = await access(path, constants.R_OK).then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error,
  );
  if (denied) unreadable.push({ path, reason: why(denied) });
  else into.add(path);
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}

function why(error: NodeJS.ErrnoException): string {
  return `${error.code ?? 'error'}: ${error.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}`;
}
