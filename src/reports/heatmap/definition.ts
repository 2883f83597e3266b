/** The heatmap report: per-handler timing percentiles, the slowest handlers, orchestration overhead. */
import { analyzeHandlerPerformance } from '../../analyses/handler-performance.js';
import type { HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import { defineReport } from '../report-definition.js';
import { renderHeatmapMd } from './heatmap-md.js';
import { heatmapCard, heatmapSummaryMd } from './heatmap-summary.js';
import { renderHeatmapText } from './heatmap-text.js';
import { renderHeatmapPage } from './html-heatmap.js';

export const heatmapReport = defineReport<HandlerPerformanceReport>({
  name: 'heatmap',
  title: 'Handler performance',
  schema: { schema: 'beatscope/heatmap', version: 2 },
  requiresCode: false,
  analyze: ({ data, code, options, aggregates }) =>
    aggregates?.heatmap ?? analyzeHandlerPerformance(data, code, options?.heatmap),
  text: renderHeatmapText,
  md: renderHeatmapMd,
  page: (ctx, report, { index }) => renderHeatmapPage(ctx, report, index),
  card: heatmapCard,
  summaryMd: heatmapSummaryMd,
  headline: (r) => `slowest handler: ${r.summary.slowestHandler ?? 'n/a'}`,
});
