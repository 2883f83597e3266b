/**
 * The static HTML report: `index.html` plus one page per report given, all sharing one layout
 * (html-layout.ts). Self-contained pages that open from file:// with no network.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CoverageReport } from '../analyses/coverage-types.js';
import type { FlowReport } from '../analyses/flow-types.js';
import type { HandlerPerformanceReport } from '../analyses/handler-performance-types.js';
import type { TimelineData } from '../analyses/timeline.js';
import type { StoreSummary } from '../model/index.js';
import { renderCoveragePage } from './html-coverage.js';
import { renderFlowsPage } from './html-flows.js';
import { renderHeatmapPage } from './html-heatmap.js';
import { type PageContext, type PageId, pageHref } from './html-layout.js';
import { renderOverviewPage } from './html-overview.js';
import { renderTimelinePage } from './html-timeline.js';
import { TimelineIndex } from './timeline-index.js';

export interface HtmlReportInput {
  readonly summary: StoreSummary;
  readonly heatmap?: HandlerPerformanceReport;
  readonly flows?: FlowReport;
  readonly coverage?: CoverageReport;
  readonly timeline: TimelineData;
  /** Shown in every page header, e.g. an ISO time. */
  readonly generatedAt: string;
  /** What the report is about, e.g. the store path or the log directory. */
  readonly sourceLabel: string;
  /** `--source-url` template for file:line links (source-link.ts). */
  readonly sourceUrl?: string;
}

/** Writes the site into `outDir` (created if needed); returns the paths written, index first. */
export async function writeHtmlReport(outDir: string, input: HtmlReportInput): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const pages = new Set<PageId>(['index', 'timeline']);
  if (input.heatmap) pages.add('heatmap');
  if (input.flows) pages.add('flows');
  if (input.coverage) pages.add('coverage');
  const ctx: PageContext = {
    sourceLabel: input.sourceLabel,
    generatedAt: input.generatedAt,
    pages,
    sourceUrl: input.sourceUrl,
  };
  const index = new TimelineIndex(input.timeline);
  const html: [PageId, string][] = [
    [
      'index',
      renderOverviewPage(ctx, {
        summary: input.summary,
        heatmap: input.heatmap,
        flows: input.flows,
        coverage: input.coverage,
        timelineBeats: input.timeline.beats.startDelta.length,
      }),
    ],
  ];
  if (input.heatmap) html.push(['heatmap', renderHeatmapPage(ctx, input.heatmap, index)]);
  if (input.flows) html.push(['flows', renderFlowsPage(ctx, input.flows, index)]);
  if (input.coverage) html.push(['coverage', renderCoveragePage(ctx, input.coverage, index)]);
  html.push(['timeline', await renderTimelinePage(ctx, input.timeline)]);
  const written: string[] = [];
  for (const [id, text] of html) {
    const path = join(outDir, pageHref(id));
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}
