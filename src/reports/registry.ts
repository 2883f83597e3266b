/**
 * Every report beatscope knows, in site and CLI order. Adding a report is one folder under src/reports/ with a
 * `definition.ts`, and one line here (docs/reports.md).
 */
import { coverageReport } from './coverage/definition.js';
import { findingsReport } from './findings/definition.js';
import { flowsReport } from './flows/definition.js';
import { graphReport } from './graph/definition.js';
import { heatmapReport } from './heatmap/definition.js';
import type { ReportEntry } from './report-definition.js';
import { sequencesReport } from './sequences/definition.js';
import { stateReport } from './state/definition.js';
import { timelineReport } from './timeline/definition.js';
import { trendsReport } from './trends/definition.js';

export const allReports: readonly ReportEntry[] = [
  findingsReport,
  heatmapReport,
  flowsReport,
  coverageReport,
  timelineReport,
  graphReport,
  stateReport,
  trendsReport,
  sequencesReport,
];

export const reportNames: readonly string[] = allReports.map((r) => r.name);

export function findReport(name: string): ReportEntry | undefined {
  return allReports.find((r) => r.name === name);
}
