/**
 * What `beatscope analyze` leaves in its output directory: the HTML site (`index.html` + one page per
 * report), one versioned JSON file per report, and `summary.md` for a pull-request comment.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreAnalysis } from '../analyses/analyze-store.js';
import { renderCoverageJson } from './coverage-json.js';
import { renderFlowsJson } from './flows-json.js';
import { renderHeatmapJson } from './heatmap-json.js';
import { writeHtmlReport } from './html-site.js';
import { renderSummaryMd } from './summary-md.js';

export interface BundleFiles {
  /** The page to open. */
  readonly index: string;
  readonly files: readonly string[];
}

export async function writeReportBundle(
  outDir: string,
  analysis: StoreAnalysis,
  sourceLabel: string,
  options: { readonly sourceUrl?: string } = {},
): Promise<BundleFiles> {
  await mkdir(outDir, { recursive: true });
  const generatedAt = new Date().toISOString();
  const files: string[] = [];
  const put = async (name: string, text: string) => {
    const path = join(outDir, name);
    await writeFile(path, text);
    files.push(path);
  };
  await put('heatmap.json', renderHeatmapJson(analysis.heatmap, { generatedAt }));
  await put('flows.json', renderFlowsJson(analysis.flows, { generatedAt }));
  if (analysis.coverage) await put('coverage.json', renderCoverageJson(analysis.coverage, { generatedAt }));
  await put(
    'summary.md',
    renderSummaryMd({ heatmap: analysis.heatmap, flows: analysis.flows, coverage: analysis.coverage }),
  );
  const pages = await writeHtmlReport(outDir, {
    summary: analysis.summary,
    heatmap: analysis.heatmap,
    flows: analysis.flows,
    coverage: analysis.coverage,
    timeline: analysis.timeline,
    generatedAt,
    sourceLabel,
    sourceUrl: options.sourceUrl,
  });
  return { index: pages[0]!, files: [...pages, ...files] };
}
