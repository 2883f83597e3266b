/**
 * The reports `beatscope serve` answers (`GET /api/reports/<name>`, `GET /reports/<page>.html`), computed from
 * the store once per ingest round that changed it, never per request: the first request after such a round
 * starts the computation and every request until the next one shares it (the same promise, so concurrent
 * requests during a computation wait for that one). A computation never mixes what two rounds stored: one that
 * a round overlapped reads again between rounds (live-ingest.ts `readBetweenRounds`).
 */
import type { Suppression } from '../analyses/findings/findings-types.js';
import type { StoreSummary } from '../model/index.js';
import { type HtmlSite, htmlSite } from '../reports/html-site.js';
import { allReports } from '../reports/registry.js';
import type { ReportEntry, ReportInput, ReportRun } from '../reports/report-definition.js';
import { loadReportInput } from '../reports/run-reports.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type LiveIngest, roundChanged } from './live-ingest.js';
import { queryKey, type ReportQuery } from './report-query.js';

export interface ReportCacheOptions {
  /** `.beatscope/suppressions.json` as `beatscope report` reads it. */
  readonly suppressions?: readonly Suppression[];
  /** The pages' header: what they are about (the store). */
  readonly sourceLabel: string;
  /** `--source-url` template for the pages' file:line links. */
  readonly sourceUrl?: string;
  /** Added to every served page (html-layout.ts `PageContext.liveScript`). */
  readonly liveScript?: string;
}

/** Distinct queries kept per round; the oldest is dropped past it (each holds a loaded store). */
const MAX_QUERIES = 8;

/** One query's input and what was computed from it, all from the same read of the store. */
interface Computed {
  readonly input: ReportInput & { readonly summary: StoreSummary };
  /** When the input was read (ISO 8601): the reports' `generatedAt` and the pages' header. */
  readonly generatedAt: string;
  readonly runs: Map<string, ReportRun>;
  readonly json: Map<string, string>;
  site?: HtmlSite;
  /** Rendered pages, by id: a page is rendered once per computation, not per request. */
  readonly pages: Map<string, Promise<string>>;
}

export class ReportCache {
  /** Ingest rounds that changed the store since start: the cache's key. */
  private round = 0;
  private readonly computed = new Map<string, Promise<Computed>>();

  constructor(
    private readonly store: TelemetryStore,
    private readonly live: LiveIngest,
    private readonly options: ReportCacheOptions,
  ) {
    live.onRound((result) => {
      if (!roundChanged(result)) return;
      this.round++;
      this.computed.clear();
    });
  }

  /**
   * The names of the reports the store can give (those needing a code index only with one). Asks the store for
   * its code index only, not for the reports: the live page must not wait for a computation on a large store.
   */
  async available(): Promise<Set<string>> {
    const code = (await this.store.loadCodeIndex())?.index !== undefined;
    return new Set(allReports.filter((r) => !r.requiresCode || code).map((r) => r.name));
  }

  /** Report `report`'s JSON, exactly as `beatscope report <name> --format json` prints it for the same options. */
  async json(report: ReportEntry, query: ReportQuery): Promise<string | undefined> {
    const computed = await this.compute(query);
    const run = runOf(computed, report);
    if (!run) return undefined;
    let text = computed.json.get(report.name);
    if (text === undefined) {
      text = run.render('json', { generatedAt: computed.generatedAt });
      computed.json.set(report.name, text);
    }
    return text;
  }

  /** Page `id` of the site (`index` or a computed report's name), or undefined when the site has no such page. */
  async page(id: string): Promise<string | undefined> {
    const computed = await this.compute({});
    if (!computed.site) {
      const runs = allReports.flatMap((report) => runOf(computed, report) ?? []);
      computed.site = htmlSite({
        summary: computed.input.summary,
        input: computed.input,
        runs,
        generatedAt: computed.generatedAt,
        sourceLabel: this.options.sourceLabel,
        sourceUrl: this.options.sourceUrl,
        liveScript: this.options.liveScript,
      });
    }
    if (!computed.site.ids.includes(id)) return undefined;
    let page = computed.pages.get(id);
    if (page === undefined) {
      page = computed.site.render(id);
      computed.pages.set(id, page);
    }
    return page;
  }

  private compute(query: ReportQuery): Promise<Computed> {
    const key = queryKey(query);
    let computed = this.computed.get(key);
    if (computed === undefined) {
      const round = this.round;
      const options = { ...query, suppressions: this.options.suppressions };
      computed = this.live
        .readBetweenRounds(() => loadReportInput(this.store, options))
        .then((input) => ({
          input,
          generatedAt: new Date().toISOString(),
          runs: new Map(),
          json: new Map(),
          pages: new Map(),
        }));
      // A failed read is not kept: the next request tries again.
      computed.catch(() => {
        if (this.round === round && this.computed.get(key) === computed) this.computed.delete(key);
      });
      this.computed.set(key, computed);
      if (this.computed.size > MAX_QUERIES) this.computed.delete(this.computed.keys().next().value!);
    }
    return computed;
  }
}

/** The report's run on `computed`, made on first need; undefined when it needs a code index the store lacks. */
function runOf(computed: Computed, report: ReportEntry): ReportRun | undefined {
  if (report.requiresCode && !computed.input.code) return undefined;
  let run = computed.runs.get(report.name);
  if (!run) {
    run = report.run(computed.input);
    computed.runs.set(report.name, run);
  }
  return run;
}
