import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSequenceDocs } from '../../analyses/docs/sequence-docs.js';
import { validateFlowsOnce } from '../../analyses/flow-validation.js';
import { loadTraceData } from '../../analyses/trace-data.js';
import { DOCS_MARKER, renderDocsPages } from '../../reports/sequences/docs-md.js';
import { UsageError } from '../errors.js';
import { indexInto } from '../index-into.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';

export interface DocsCommandOptions {
  readonly db: string;
  readonly code?: string;
  readonly out: string;
  readonly force?: boolean;
}

/**
 * `beatscope docs`: one Markdown page per sequence plus an index, from the store and its code index. Files are
 * rewritten only when they are beatscope's own (they start with DOCS_MARKER) unless `--force`; the same data
 * gives the same bytes, so a committed docs folder diffs only where production changed.
 */
export async function runDocs(opts: DocsCommandOptions): Promise<void> {
  const outDir = await prepareOutput(opts.out, 'dir');
  const store = await openStore(opts.db, opts.code === undefined ? 'read' : 'write');
  try {
    if (opts.code !== undefined) await indexInto(store, opts.code);
    const [data, snapshot] = await Promise.all([loadTraceData(store), store.loadCodeIndex()]);
    const code = snapshot?.index;
    const report = buildSequenceDocs(data, code, validateFlowsOnce(data, code).drift);
    const pages = renderDocsPages(report);
    if (!opts.force)
      await refuseForeignFiles(
        outDir,
        pages.map((p) => p.file),
      );
    for (const p of pages) await writeFile(join(outDir, p.file), p.markdown);
    process.stdout.write(
      `wrote ${pages.length - 1} sequence pages and index.md to ${outDir}\n${report.notes.map((n) => `note: ${n}\n`).join('')}`,
    );
  } finally {
    await store.close();
  }
}

async function refuseForeignFiles(dir: string, files: readonly string[]): Promise<void> {
  const present = new Set(await readdir(dir));
  for (const f of files) {
    if (!present.has(f)) continue;
    const head = (await readFile(join(dir, f), 'utf8')).slice(0, 200);
    if (!head.startsWith(DOCS_MARKER))
      throw new UsageError(`${join(dir, f)} exists and was not written by beatscope docs`, 'move it, or pass --force');
  }
}
