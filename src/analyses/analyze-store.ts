/**
 * Every analysis over what a store holds, in one pass: the input of `beatscope analyze` and of the
 * HTML site. The coverage report needs a code index and is left out without one.
 */
import type { CodeIndex, StoreSummary } from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { analyzeCoverage } from './coverage.js';
import type { CoverageReport } from './coverage-types.js';
import type { FlowReport } from './flow-types.js';
import { validateFlows } from './flow-validation.js';
import { analyzeHandlerPerformance } from './handler-performance.js';
import type { HandlerPerformanceOptions, HandlerPerformanceReport } from './handler-performance-types.js';
import { buildTimeline, type TimelineData } from './timeline.js';
import { loadTraceData, type TraceData } from './trace-data.js';

export interface StoreAnalysis {
  readonly summary: StoreSummary;
  readonly data: TraceData;
  readonly code: CodeIndex | undefined;
  readonly heatmap: HandlerPerformanceReport;
  readonly flows: FlowReport;
  readonly coverage: CoverageReport | undefined;
  readonly timeline: TimelineData;
  /** Wall time each analysis took, ms (for `npm run bench`). */
  readonly timingsMs: Readonly<Record<'load' | 'heatmap' | 'flows' | 'coverage' | 'timeline', number>>;
}

export async function analyzeStore(
  store: TelemetryStore,
  options: { heatmap?: HandlerPerformanceOptions } = {},
): Promise<StoreAnalysis> {
  const timed = <T>(f: () => T): [T, number] => {
    const t = performance.now();
    const r = f();
    return [r, performance.now() - t];
  };
  const t0 = performance.now();
  const [summary, data, snapshot] = await Promise.all([store.summary(), loadTraceData(store), store.loadCodeIndex()]);
  const load = performance.now() - t0;
  const code = snapshot?.index;
  const [heatmap, heatmapMs] = timed(() => analyzeHandlerPerformance(data, code, options.heatmap));
  const [flows, flowsMs] = timed(() => validateFlows(data, code));
  const [coverage, coverageMs] = timed(() => (code ? analyzeCoverage(data, code) : undefined));
  const [timeline, timelineMs] = timed(() => buildTimeline(data, { codeIndex: code }));
  return {
    summary,
    data,
    code,
    heatmap,
    flows,
    coverage,
    timeline,
    timingsMs: { load, heatmap: heatmapMs, flows: flowsMs, coverage: coverageMs, timeline: timelineMs },
  };
}
