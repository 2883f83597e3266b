import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { color, formatInt, keyValues } from '../format.js';
import { indexInto } from '../index-into.js';
import { writeCliJson } from '../json-output.js';
import { openStore } from '../open-store.js';

/** `beatscope index <repo>`: index a codebase into the store; re-indexing re-reads only changed files. */
export async function runIndex(repo: string, opts: { db: string; json?: boolean }): Promise<void> {
  const root = resolve(repo);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`${repo} is not a directory`, 'pass the root of the app repository');
  const store = await openStore(opts.db, 'write');
  try {
    const { index, state } = await indexInto(store, root);
    const resolved = index.handlers.filter((h) => h.location !== null).length;
    const beats = index.sequences.reduce((n, s) => n + s.movements.reduce((m, mv) => m + mv.beats.length, 0), 0);
    if (opts.json) {
      writeCliJson('index', {
        root,
        sequences: index.sequences.length,
        beats,
        handlers: index.handlers.length,
        handlersResolved: resolved,
        tests: index.tests.length,
        topics: index.topics.length,
        problems: index.problems,
        stats: state.stats,
      });
      return;
    }
    const s = state.stats;
    process.stdout.write(
      `${color.bold('indexed')} ${root}\n${keyValues([
        [
          'files',
          `${formatInt(s.files)} (${formatInt(s.parsed)} parsed, ${formatInt(s.reused)} unchanged) in ${Math.round(s.totalMs)} ms`,
        ],
        ['sequences', `${formatInt(index.sequences.length)} (${formatInt(beats)} beats)`],
        ['handlers', `${formatInt(index.handlers.length)} (${formatInt(resolved)} resolved to file:line)`],
        ['tests', formatInt(index.tests.length)],
        ['topic routes', formatInt(index.topics.length)],
        ['problems', index.problems.length > 0 ? color.yellow(formatInt(index.problems.length)) : '0'],
      ])}\n`,
    );
    for (const p of index.problems.slice(0, 10)) {
      process.stdout.write(
        `  ${p.severity === 'error' ? color.red(p.severity) : color.yellow(p.severity)} ${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}\n`,
      );
    }
    if (index.problems.length > 10)
      process.stdout.write(
        color.dim(`  … ${index.problems.length - 10} more (beatscope sql "select * from code_problems")\n`),
      );
  } finally {
    await store.close();
  }
}
