/**
 * What a report is: one definition object per report folder (`src/reports/<name>/definition.ts`), listed once in
 * `allReports` (registry.ts). `analyze`, `report`, the HTML site, the bundle and `summary.md` loop over that
 * list; nothing else names a report. `defineReport` binds a definition to its data type and returns an entry
 * whose runs carry their own data, so callers render any report without knowing (or casting) its type.
 */

import type { FindingsParts } from '../analyses/findings/findings-parts.js';
import type { Suppression } from '../analyses/findings/findings-types.js';
import type { GraphFacts } from '../analyses/graph/graph-facts.js';
import type { HandlerPerformanceOptions } from '../analyses/handler-performance-types.js';
import type { StoreAggregates } from '../analyses/store-aggregates.js';
import type { TimelineWindow } from '../analyses/timeline-types.js';
import type { TraceData } from '../analyses/trace-data.js';
import type { FileInfo } from '../model/file-info.js';
import type { CodeIndex, StoreSummary } from '../model/index.js';
import type { PageContext } from './html-layout.js';
import { type RenderOptions, renderEnvelope, type SchemaId } from './report-schema.js';
import type { TimelineIndex } from './timeline-index.js';

/**
 * Formats `beatscope report <name> --format` accepts; `html` writes the whole site (pages link to each other);
 * `sarif` (SARIF 2.1.0 for code scanning), `dot` (Graphviz) and `mermaid` only for reports that define them.
 */
export type ReportFormat = 'text' | 'json' | 'md' | 'html' | 'sarif' | 'dot' | 'mermaid';
export const reportFormats: readonly ReportFormat[] = ['text', 'json', 'md', 'html', 'sarif', 'dot', 'mermaid'];

/** The formats rendered to one string; `html` is the page, rendered in the site. */
export type StringFormat = Exclude<ReportFormat, 'html'>;

/** Options for the analyses that take some (`report heatmap --top N`). */
export interface AnalysisOptions {
  readonly heatmap?: HandlerPerformanceOptions;
  /** Most beat runs the timeline lays out; a larger store's timeline covers its first ones (TIMELINE_BEATS). */
  readonly timelineBeats?: number;
  /**
   * The file id of a stored log file: the timeline (and the reports that read its trace: state, sequences) covers
   * that file's first `timelineBeats` beat runs instead of the store's (`beatscope report timeline --log`).
   */
  readonly timelineFile?: string;
  /**
   * With `timelineFile`: a 1-based line of that file; the timeline covers up to `timelineBeats` of the file's beat
   * runs around it instead of its first ones (`beatscope report timeline --at`).
   */
  readonly timelineLine?: number;
  /** Finding ids to hide (`.beatscope/suppressions.json`). */
  readonly suppressions?: readonly Suppression[];
  /** `report state <key>`: that DataBaton key only. */
  readonly stateKey?: string;
  /** `report state --request <id>`: that request's DataBaton changes, beat by beat. */
  readonly stateRequest?: string;
  /** Told what a long read of the store is doing (one line each; the CLI prints them on stderr). */
  readonly progress?: (message: string) => void;
  /**
   * The names of the reports the input is for (`report <name>`; all of them when left out): of a store past the
   * timeline's window, only what they read (`ReportDefinition.reads`) is read besides the aggregates.
   */
  readonly reports?: readonly string[];
}

/**
 * What a report reads of a store past the timeline's window besides the aggregates (and the small kinds): the
 * timeline's window (its trace), the findings' parts, the graph's facts computed in the store.
 */
export type StoreRead = 'timeline' | 'findings' | 'graph';

/** What every analysis entry point reads. */
export interface ReportInput {
  readonly data: TraceData;
  /** The stored code index, when `index` or `--code` made one. */
  readonly code: CodeIndex | undefined;
  readonly summary?: StoreSummary;
  /** The ingested files (paths name a finding's log files). */
  readonly files?: readonly FileInfo[];
  readonly options?: AnalysisOptions;
  /**
   * The first part of the trace, when the store holds more beat runs than the timeline lays out: the timeline
   * reads it instead of `data` (which then lacks what only the timeline reads: DataBaton diffs, gaps).
   */
  readonly timelineWindow?: { readonly data: TraceData; readonly window: TimelineWindow };
  /**
   * The heatmap, flows and coverage computed from the store's runs streamed out of it (`analyzeStore`), so `data`
   * need not hold them; without it they compute from `data`, with the same results.
   */
  readonly aggregates?: StoreAggregates;
  /**
   * The graph's publishes, chains and data facts over the whole store, computed in it, when `timelineWindow`
   * holds only part of its runs.
   */
  readonly graphFacts?: GraphFacts;
  /** The findings' reading of the whole store part by part (findings-parts.ts), when `timelineWindow` is set. */
  readonly findingParts?: FindingsParts;
}

/** What a report's HTML page gets besides its data: lookups into the timeline, for links to it. */
export interface PageEnv {
  readonly index: TimelineIndex;
}

export type Render<Data> = (data: Data, options?: RenderOptions) => string;

export interface ReportDefinition<Data extends object> {
  /** CLI name, JSON file name (`<name>.json`) and page name (`<name>.html`). */
  readonly name: string;
  /** Navigation and page heading. */
  readonly title: string;
  /** Its JSON envelope's `schema` and `version` (report-schema.ts). */
  readonly schema: SchemaId;
  /** Without a code index the report is not computed (no page, no JSON) and `report <name>` exits 2. */
  readonly requiresCode: boolean;
  /** What it reads of a large store besides the aggregates (`StoreRead`); none when left out. */
  readonly reads?: readonly StoreRead[];
  /** The analysis entry point. Called only with a code index when `requiresCode`. */
  readonly analyze: (input: ReportInput) => Data;
  /** The JSON payload inside the envelope (default: the data itself). */
  readonly json?: (data: Data) => object;
  readonly text?: Render<Data>;
  readonly md?: Render<Data>;
  readonly sarif?: Render<Data>;
  readonly dot?: Render<Data>;
  readonly mermaid?: Render<Data>;
  readonly page: (ctx: PageContext, data: Data, env: PageEnv) => string | Promise<string>;
  /** The overview's panel for this report: trusted HTML (log text escaped), linking to its page. */
  readonly card: (data: Data) => string;
  /** Its section of `summary.md` (Markdown, log text escaped); none (or undefined) when it has nothing to add. */
  readonly summaryMd?: (data: Data) => string | undefined;
  /** One line for the terminal after `analyze` (e.g. `slowest handler: x`). */
  readonly headline?: (data: Data) => string;
  /** `report <name> --fail-on <kinds>`: the finding kinds it knows, and whether the data has any of `kinds`. */
  readonly failOn?: FailOn<Data>;
}

export interface FailOn<Data> {
  readonly kinds: readonly string[];
  /** `kinds`: names from `FailOn.kinds` only (the CLI rejects others with exit 2). */
  readonly check: (data: Data, kinds: readonly string[]) => boolean;
}

/** A report computed on one input: every output of it, its data type hidden. */
export interface ReportRun {
  readonly entry: ReportEntry;
  /** The report's data, for callers that know its type (e.g. the CLI's `--fail-on`). */
  readonly data: unknown;
  render(format: StringFormat, options?: RenderOptions): string;
  page(ctx: PageContext, env: PageEnv): string | Promise<string>;
  card(): string;
  summaryMd(): string | undefined;
  headline(): string | undefined;
  /** Whether findings of these kinds exist; false for a report without `--fail-on`. */
  fails(kinds: readonly string[]): boolean;
}

export interface ReportEntry {
  readonly name: string;
  readonly title: string;
  readonly schema: SchemaId;
  readonly requiresCode: boolean;
  /** What it reads of a large store besides the aggregates (`ReportDefinition.reads`). */
  readonly reads: readonly StoreRead[];
  /** Formats it renders, `html` included (every report has a page). */
  readonly formats: readonly ReportFormat[];
  /** Finding kinds `--fail-on` accepts; empty when the report has none. */
  readonly failKinds: readonly string[];
  run(input: ReportInput): ReportRun;
}

export function defineReport<Data extends object>(def: ReportDefinition<Data>): ReportEntry {
  const renderers: Record<StringFormat, Render<Data> | undefined> = {
    text: def.text,
    md: def.md,
    sarif: def.sarif,
    dot: def.dot,
    mermaid: def.mermaid,
    json: (data, options) => renderEnvelope(def.schema, def.json ? def.json(data) : data, options),
  };
  const entry: ReportEntry = {
    name: def.name,
    title: def.title,
    schema: def.schema,
    requiresCode: def.requiresCode,
    reads: def.reads ?? [],
    formats: reportFormats.filter((f) => f === 'html' || renderers[f] !== undefined),
    failKinds: def.failOn?.kinds ?? [],
    run(input) {
      const data = def.analyze(input);
      return {
        entry,
        data,
        render(format, options) {
          const render = renderers[format];
          if (!render) throw new Error(`the ${def.name} report has no ${format} format`);
          return render(data, options);
        },
        page: (ctx, env) => def.page(ctx, data, env),
        card: () => def.card(data),
        summaryMd: () => def.summaryMd?.(data),
        headline: () => def.headline?.(data),
        fails: (kinds) => def.failOn?.check(data, kinds) ?? false,
      };
    },
  };
  return entry;
}
