/** JSON reporter of the heatmap: the report in the `beatscope/heatmap` v1 envelope (docs/reports.md). */
import type { HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import { type RenderOptions, renderEnvelope } from '../report-schema.js';

export function renderHeatmapJson(report: HandlerPerformanceReport, options: RenderOptions = {}): string {
  return renderEnvelope('heatmap', report, options);
}
