/**
 * Where a command may write (`--out`): checked and made ready before any work starts, so a bad path is
 * one line and exit 2 instead of a stack, a silent no-op, or a half-written result.
 */
import { constants } from 'node:fs';
import { access, lstat, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

/** `file`: the path is a file to (over)write. `dir`: the path is a directory to write into. */
export type OutputKind = 'file' | 'dir';

/**
 * Resolves `path`, creates the missing folders up to it (the parent of a file, the directory itself)
 * and returns the absolute path. Throws a UsageError when the path cannot be written: a folder on the
 * way is a regular file (ENOTDIR), the target is a symbolic link (we never write through one: it could
 * point anywhere), a file where a folder is wanted or the reverse, or no write permission.
 */
export async function prepareOutput(path: string, kind: OutputKind): Promise<string> {
  const target = resolve(path);
  const existing = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw cannotWrite(target, error);
  });
  if (existing?.isSymbolicLink()) {
    throw new UsageError(`refusing to write through the symbolic link ${target}`, 'pass the real path to --out');
  }
  if (existing && kind === 'file' && existing.isDirectory()) {
    throw new UsageError(`cannot write ${target}: it is a directory`, 'pass a file path to --out');
  }
  if (existing && kind === 'dir' && !existing.isDirectory()) {
    throw new UsageError(`cannot write into ${target}: it is a file, not a directory`, 'pass a directory to --out');
  }
  const folder = kind === 'dir' ? target : dirname(target);
  try {
    await mkdir(folder, { recursive: true });
    await access(existing && kind === 'file' ? target : folder, constants.W_OK);
  } catch (error) {
    throw cannotWrite(target, error as NodeJS.ErrnoException);
  }
  return target;
}

function cannotWrite(target: string, error: NodeJS.ErrnoException): UsageError {
  const why: Record<string, string> = {
    ENOTDIR: 'a folder on the way is a file',
    EEXIST: 'a folder on the way is a file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
  };
  return new UsageError(`cannot write ${target}: ${why[error.code ?? ''] ?? error.message.split('\n')[0]}`);
}
