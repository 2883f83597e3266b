/**
 * Turns the user's `<files|dirs|globs...>` into a sorted list of files. Directories are walked for
 * log-like files; explicit files are taken whatever their extension.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** Extensions picked up when walking a directory (explicit file arguments are always taken). */
const LOG_EXTENSIONS = /\.(?:log|txt|out|jsonl|ndjson|tsv|gz)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '.beatscope']);

export interface Discovery {
  readonly files: readonly string[];
  /** Inputs that matched nothing: reported, not fatal. */
  readonly missing: readonly string[];
}

export async function discoverFiles(inputs: readonly string[]): Promise<Discovery> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const input of inputs) {
    if (isDynamicPattern(input)) {
      const matches = await glob(input, { absolute: true, onlyFiles: true, dot: false });
      if (matches.length === 0) missing.push(input);
      for (const m of matches) files.add(resolve(m));
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (!info) missing.push(input);
    else if (info.isDirectory()) await walk(resolve(input), files);
    else files.add(resolve(input));
  }
  return { files: [...files].sort(), missing };
}

async function walk(dir: string, into: Set<string>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(p, into);
    } else if (e.isFile() && LOG_EXTENSIONS.test(e.name)) into.add(p);
  }
}
