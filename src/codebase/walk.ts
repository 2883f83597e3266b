/**
 * Repository walk. Synchronous fs calls on purpose: the walk is a stat per relevant file, and on the
 * benchmark repo (7,280 files, 2 cores) 7k sync stats took 20–60 ms against 75–150 ms for promise or
 * callback stats through the thread pool. Paths are joined by concatenation and kinds classified from a
 * per-folder class (no `path.join` normalisation or path splitting per entry): that per-entry work used
 * to cost more than the system calls.
 * Invariants: every real directory is entered at most once (visited set of realpaths), so symlink loops
 * terminate and are reported; files over `MAX_FILE_BYTES` are reported and never read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IndexProblem } from '../model/code-index.js';
import { childDirClass, classifyIn, type DirClass, type FileKind, ROOT_DIR_CLASS, SKIPPED_DIRS } from './classify.js';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface WalkedFile {
  /** Root-relative, forward slashes. */
  readonly rel: string;
  readonly abs: string;
  readonly kind: FileKind;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface WalkResult {
  readonly files: WalkedFile[];
  readonly problems: IndexProblem[];
}

export function walkRepo(root: string): WalkResult {
  const files: WalkedFile[] = [];
  const problems: IndexProblem[] = [];
  const visitedDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const problem = (rel: string, severity: IndexProblem['severity'], message: string): void => {
    problems.push({ file: rel, line: 0, severity, message });
  };

  const visitDir = (abs: string, rel: string, real: string, ancestors: readonly string[], cls: DirClass): void => {
    visitedDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      problem(rel || '.', 'warning', `cannot read directory: ${(err as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const chain = [...ancestors, real];
    const absPrefix = abs.endsWith(path.sep) ? abs : abs + path.sep;
    const realPrefix = real.endsWith(path.sep) ? real : real + path.sep;
    for (const entry of entries) {
      const name = entry.name;
      if (SKIPPED_DIRS.has(name)) continue;
      const childAbs = absPrefix + name;
      const childRel = rel ? `${rel}/${name}` : name;
      let isDir = entry.isDirectory();
      let childReal = realPrefix + name;
      if (entry.isSymbolicLink()) {
        try {
          childReal = fs.realpathSync(childAbs);
          isDir = fs.statSync(childReal).isDirectory();
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') problem(childRel, 'warning', 'symlink loop: link resolves to itself');
          else problem(childRel, 'info', `broken symlink skipped (${code ?? 'error'})`);
          continue;
        }
        if (isDir && chain.includes(childReal)) {
          problem(childRel, 'warning', `symlink loop: points back to ancestor directory ${childReal}`);
          continue;
        }
      }
      if (isDir) {
        if (visitedDirs.has(childReal)) {
          problem(childRel, 'info', 'directory already indexed through another path (symlink); skipped');
          continue;
        }
        visitDir(childAbs, childRel, childReal, chain, childDirClass(cls, name));
        continue;
      }
      const kind = classifyIn(cls, name);
      if (!kind || seenFiles.has(childReal)) continue;
      seenFiles.add(childReal);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(childAbs);
      } catch (err) {
        problem(childRel, 'warning', `cannot stat file: ${(err as Error).message}`);
        continue;
      }
      if (stat.size > MAX_FILE_BYTES) {
        const mb = (stat.size / 1024 / 1024).toFixed(1);
        problem(childRel, 'warning', `file skipped: ${mb} MB exceeds the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`);
        continue;
      }
      files.push({ rel: childRel, abs: childAbs, kind, size: stat.size, mtimeMs: stat.mtimeMs });
    }
  };

  const rootAbs = path.resolve(root);
  visitDir(rootAbs, '', fs.realpathSync(rootAbs), [], ROOT_DIR_CLASS);
  return { files, problems };
}
