import { LineRefError, missingReason, type SourceLines, sourceLinesOf } from '../../ingest/source-lines.js';
import { ExitCode, UsageError } from '../errors.js';
import { color } from '../format.js';
import { writeCliJson } from '../json-output.js';
import { openStore } from '../open-store.js';

/**
 * `beatscope lines <file>:<line>[-<last>] | <entity id> | <request id>`: the log lines an entity came from,
 * read from the log file while it holds what was ingested. Exit 2 (after printing what there is) when an asked line has no text left.
 */
export async function runLines(ref: string, opts: { db: string; context?: number; json?: boolean }): Promise<void> {
  const asUsage = (error: unknown) => (error instanceof LineRefError ? new UsageError(error.message) : error);
  const store = await openStore(opts.db, 'read');
  try {
    const result = await sourceLinesOf(store, ref, { context: opts.context }).catch((error: unknown) => {
      throw asUsage(error);
    });
    if (opts.json) writeCliJson('lines', result);
    else process.stdout.write(renderLines(result));
    if (result.lines.some((l) => l.requested && l.text === null)) {
      process.stderr.write(`beatscope: ${missingReason(result)}\n`);
      process.exitCode = ExitCode.usage;
    }
  } finally {
    await store.close();
  }
}

/**
 * Log text is untrusted: its control characters are shown the way `cat -v` shows them (ESC as `^[`), so a
 * line cannot move the cursor, recolour or retitle the terminal it is printed to. TAB stays a TAB.
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 32) return `^${String.fromCharCode(code + 64)}`;
    return code === 127 ? '^?' : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** `grep -n`-like: the asked lines marked `>`, context lines dim, lines without text say so. */
export function renderLines(result: SourceLines): string {
  const width = String(result.lines.at(-1)?.line ?? 0).length;
  const state =
    result.fileState === 'unchanged'
      ? 'read from the file'
      : `${result.fileState === 'missing' ? 'gone' : 'changed'} since ingest: only the lines the store keeps`;
  const out = [color.dim(`${result.file.path} (${result.file.fileId}, ${state})`)];
  for (const l of result.lines) {
    const mark = l.requested ? '>' : ' ';
    const text = l.text === null ? color.dim('(a recognized line: its text is not stored)') : visible(l.text);
    const row = `${mark} ${String(l.line).padStart(width)}  ${text}`;
    out.push(l.requested ? row : color.dim(row));
  }
  return `${out.join('\n')}\n`;
}
