/**
 * The static HTML report: `index.html` plus one page per computed report, all sharing one layout
 * (html-layout.ts). Self-contained pages that open from file:// with no network.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreSummary } from '../model/index.js';
import { type NavEntry, type PageContext, type PageId, pageHref } from './html-layout.js';
import { renderOverviewPage } from './html-overview.js';
import { allReports } from './registry.js';
import type { ReportInput, ReportRun } from './report-definition.js';
import { TimelineIndex } from './timeline-index.js';
import { timelineOf } from './timeline-of.js';

export interface HtmlReportInput {
  readonly summary: StoreSummary;
  readonly input: ReportInput;
  /** The computed reports (run-reports.ts); one page and one overview panel each. */
  readonly runs: readonly ReportRun[];
  /** Shown in every page header, e.g. an ISO time. */
  readonly generatedAt: string;
  /** What the report is about, e.g. the store path or the log directory. */
  readonly sourceLabel: string;
  /** `--source-url` template for file:line links (source-link.ts). */
  readonly sourceUrl?: string;
}

/** Writes the site into `outDir` (created if needed); returns the paths written, index first. */
export async function writeHtmlReport(outDir: string, site: HtmlReportInput): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const nav: NavEntry[] = [
    { id: 'index', title: 'Overview' },
    ...allReports.map((r) => ({ id: r.name, title: r.title })),
    // Runs of reports outside the registry (the baseline comparison of `analyze --baseline`) come last.
    ...site.runs.filter((r) => !allReports.includes(r.entry)).map((r) => ({ id: r.entry.name, title: r.entry.title })),
  ];
  const pages = new Set<PageId>(['index', ...site.runs.map((r) => r.entry.name)]);
  const ctx: PageContext = {
    sourceLabel: site.sourceLabel,
    generatedAt: site.generatedAt,
    nav,
    pages,
    sourceUrl: site.sourceUrl,
  };
  const index = new TimelineIndex(timelineOf(site.input));
  const html: [PageId, string][] = [
    [
      'index',
      renderOverviewPage(
        ctx,
        site.summary,
        site.runs.map((r) => r.card()),
      ),
    ],
  ];
  for (const run of site.runs) html.push([run.entry.name, await run.page(ctx, { index })]);
  const written: string[] = [];
  for (const [id, text] of html) {
    const path = join(outDir, pageHref(id));
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}
