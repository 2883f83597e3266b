/**
 * The static HTML report: `index.html` plus one page per computed report, all sharing one layout
 * (html-layout.ts). Self-contained pages that open from file:// with no network. `beatscope serve` renders the
 * same pages one at a time (`htmlSite`), with a script that keeps them live.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreSummary } from '../model/index.js';
import { type NavEntry, type PageContext, type PageId, pageHref } from './html-layout.js';
import { renderOverviewPage } from './html-overview.js';
import { OverlappedWrites } from './overlapped-writes.js';
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
  /** A served site's script, added to every page (html-layout.ts `PageContext.liveScript`). */
  readonly liveScript?: string;
}

export interface HtmlSite {
  /** The site's pages, `index` first, then one per computed report. */
  readonly ids: readonly PageId[];
  /** One page's HTML; the timeline lookups the report pages link through are built once, on first need. */
  render(id: PageId): Promise<string>;
}

/** The site's pages, rendered on demand. */
export function htmlSite(site: HtmlReportInput): HtmlSite {
  const nav: NavEntry[] = [
    { id: 'index', title: 'Overview' },
    ...allReports.map((r) => ({ id: r.name, title: r.title })),
    // Runs of reports outside the registry (the baseline comparison of `analyze --baseline`) come last.
    ...site.runs.filter((r) => !allReports.includes(r.entry)).map((r) => ({ id: r.entry.name, title: r.entry.title })),
  ];
  const ids: PageId[] = ['index', ...site.runs.map((r) => r.entry.name)];
  const ctx: PageContext = {
    sourceLabel: site.sourceLabel,
    generatedAt: site.generatedAt,
    nav,
    pages: new Set(ids),
    sourceUrl: site.sourceUrl,
    liveScript: site.liveScript,
  };
  let index: TimelineIndex | undefined;
  return {
    ids,
    async render(id) {
      if (id === 'index')
        return renderOverviewPage(
          ctx,
          site.summary,
          site.runs.map((r) => r.card()),
        );
      const run = site.runs.find((r) => r.entry.name === id);
      if (!run) throw new Error(`no ${id} page in this site`);
      index ??= new TimelineIndex(timelineOf(site.input));
      return run.page(ctx, { index });
    },
  };
}

/** Writes the site into `outDir` (created if needed); returns the paths written, index first. */
export async function writeHtmlReport(outDir: string, site: HtmlReportInput): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const pages = htmlSite(site);
  const written: string[] = [];
  const writes = new OverlappedWrites();
  for (const id of pages.ids) {
    const path = join(outDir, pageHref(id));
    writes.write(path, await pages.render(id));
    written.push(path);
  }
  await writes.finish();
  return written;
}
