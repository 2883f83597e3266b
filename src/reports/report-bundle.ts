/**
 * What `beatscope analyze` leaves in its output directory: the HTML site (`index.html` + one page per
 * report), one versioned JSON file per computed report, and `summary.md` for a pull-request comment.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeHtmlReport } from './html-site.js';
import { OverlappedWrites } from './overlapped-writes.js';
import type { ReportSet } from './run-reports.js';
import { renderSummaryMd } from './summary-md.js';

export interface BundleFiles {
  /** The page to open. */
  readonly index: string;
  readonly files: readonly string[];
}

export async function writeReportBundle(
  outDir: string,
  set: ReportSet,
  sourceLabel: string,
  options: { readonly sourceUrl?: string } = {},
): Promise<BundleFiles> {
  await mkdir(outDir, { recursive: true });
  const generatedAt = new Date().toISOString();
  const files: string[] = [];
  const writes = new OverlappedWrites();
  const put = (name: string, text: string) => {
    const path = join(outDir, name);
    writes.write(path, text);
    files.push(path);
  };
  for (const run of set.runs) {
    put(`${run.entry.name}.json`, run.render('json', { generatedAt, compact: true }));
    if (run.entry.formats.includes('sarif')) put(`${run.entry.name}.sarif`, run.render('sarif', { generatedAt }));
  }
  put('summary.md', renderSummaryMd(set.runs));
  const pages = await writeHtmlReport(outDir, {
    summary: set.summary,
    input: set.input,
    runs: set.runs,
    generatedAt,
    sourceLabel,
    sourceUrl: options.sourceUrl,
  });
  await writes.finish();
  return { index: pages[0]!, files: [...pages, ...files] };
}
