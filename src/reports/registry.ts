/**
 * Reporter registry (Vitest's typed reporter map): report name → format → render function, for
 * `beatscope report <name> --format <format>`. Text, JSON and Markdown render synchronously to a string; the
 * `html` slots are filled by the HTML site (they may be async). Reporters return strings and never print.
 */
import { analyzeCoverage } from '../analyses/coverage.js';
import type { CoverageReport } from '../analyses/coverage-types.js';
import type { FlowReport } from '../analyses/flow-types.js';
import { validateFlows } from '../analyses/flow-validation.js';
import { analyzeHandlerPerformance } from '../analyses/handler-performance.js';
import type { HandlerPerformanceOptions, HandlerPerformanceReport } from '../analyses/handler-performance-types.js';
import { buildTimeline } from '../analyses/timeline.js';
import type { TraceData } from '../analyses/trace-data.js';
import type { CodeIndex } from '../model/code-index.js';
import { renderCoverageJson } from './coverage/coverage-json.js';
import { renderCoverageMd } from './coverage/coverage-md.js';
import { renderCoverageText } from './coverage/coverage-text.js';
import { renderFlowsJson } from './flows/flows-json.js';
import { renderFlowsMd } from './flows/flows-md.js';
import { renderFlowsText } from './flows/flows-text.js';
import { renderHeatmapJson } from './heatmap/heatmap-json.js';
import { renderHeatmapMd } from './heatmap/heatmap-md.js';
import { renderHeatmapText } from './heatmap/heatmap-text.js';
import { type RenderOptions, renderEnvelope } from './report-schema.js';
import { renderRunsMd, renderRunsText } from './timeline/runs-text.js';

export interface ReportTypes {
  readonly heatmap: HandlerPerformanceReport;
  readonly flows: FlowReport;
  readonly coverage: CoverageReport;
  /** Text and Markdown list the runs; JSON is the timeline page's data (`buildTimeline`). */
  readonly timeline: TraceData;
}

export type ReportName = keyof ReportTypes;
export const reportNames: readonly ReportName[] = ['heatmap', 'flows', 'coverage', 'timeline'];

export type ReportFormat = 'text' | 'json' | 'md' | 'html';
export const reportFormats: readonly ReportFormat[] = ['text', 'json', 'md', 'html'];

export type Render<R> = (report: R, options?: RenderOptions) => string;
export type HtmlRender<R> = (report: R, options?: RenderOptions) => string | Promise<string>;

/** Every slot optional: a report offers the formats it has. */
export interface ReporterSet<R> {
  readonly text?: Render<R>;
  readonly json?: Render<R>;
  readonly md?: Render<R>;
  readonly html?: HtmlRender<R>;
}

export type ReporterRegistry = { readonly [K in ReportName]: ReporterSet<ReportTypes[K]> };

export const reporters: ReporterRegistry = {
  heatmap: { text: renderHeatmapText, json: renderHeatmapJson, md: renderHeatmapMd },
  flows: { text: renderFlowsText, json: renderFlowsJson, md: renderFlowsMd },
  coverage: { text: renderCoverageText, json: renderCoverageJson, md: renderCoverageMd },
  timeline: {
    text: renderRunsText,
    md: renderRunsMd,
    json: (data, options) => renderEnvelope('timeline', buildTimeline(data), options),
  },
};

/** The render function, or undefined when the report has no such format (the CLI then exits 2 with a hint). */
export function findReporter<K extends ReportName>(
  name: K,
  format: ReportFormat,
): HtmlRender<ReportTypes[K]> | undefined {
  return (reporters[name] as ReporterSet<ReportTypes[K]>)[format];
}

/** Formats a report offers, for `--help` and error hints. */
export function formatsOf(name: ReportName): ReportFormat[] {
  return reportFormats.filter((f) => reporters[name][f] !== undefined);
}

export interface AnalysisOptions {
  readonly heatmap?: HandlerPerformanceOptions;
}

/**
 * How the CLI builds each report from trace data. `requiresCode`: the analysis needs a code index (`--code`);
 * the flow validator runs without one but checks less. The timeline is built by its own module.
 */
export const analyses = {
  heatmap: {
    requiresCode: false,
    build: (data: TraceData, code?: CodeIndex, options: AnalysisOptions = {}) =>
      analyzeHandlerPerformance(data, code, options.heatmap),
  },
  flows: { requiresCode: false, build: (data: TraceData, code?: CodeIndex) => validateFlows(data, code) },
  coverage: {
    requiresCode: true,
    build: (data: TraceData, code?: CodeIndex) => {
      if (!code) throw new Error('the coverage report needs a code index (--code <dir>)');
      return analyzeCoverage(data, code);
    },
  },
} as const;
