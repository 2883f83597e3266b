/**
 * beatscope as a library: what `import … from 'beatscope'` gives a script. The CLI is a shell over exactly
 * these functions. Typical use (README, "Using beatscope from code"):
 *
 *   const store = await openStore('telemetry.duckdb');
 *   await ingest(['logs/'], { store });
 *   await indexInto(store, '../my-app');
 *   const reports = await analyzeStore(store);
 *   for (const run of reports.runs) console.log(run.render('text'));
 *   await store.close();
 */
import { DuckDbStore } from './store/duckdb/duckdb-store.js';
import { PostgresStore } from './store/postgres/postgres-store.js';
import { isPostgresUrl } from './store/postgres/postgres-url.js';

export type { FileOutcome, FileStatus, IngestEvent, IngestOptions, IngestReport } from './ingest/ingest.js';
export { ingest } from './ingest/ingest.js';
export type { FileState, LineRef, SourceLine, SourceLines } from './ingest/source-lines.js';
export {
  entityLineRef,
  findStoredFile,
  LineRefError,
  parseLineRef,
  resolveLineRef,
  sourceLines,
  sourceLinesOf,
} from './ingest/source-lines.js';
export { InMemoryStore } from './store/in-memory-store.js';
export type { SqlStore, TelemetryStore } from './store/telemetry-store.js';
export { DuckDbStore, PostgresStore };

type PostgresUrl = `postgres://${string}` | `postgresql://${string}`;

/**
 * Opens (creating it when absent, unless `readOnly`) a DuckDB telemetry store file. One process may write a
 * store at a time; `readOnly` lets DuckDB refuse every change. A `postgres://user@host:port/db` URL opens the
 * store on that PostgreSQL server instead (creating its tables unless `readOnly`); several processes may write it.
 */
export function openStore(path: PostgresUrl, options?: { readonly readOnly?: boolean }): Promise<PostgresStore>;
export function openStore(
  path: string,
  options?: { readonly readOnly?: boolean },
): Promise<DuckDbStore | PostgresStore>;
export function openStore(
  path: string,
  options: { readonly readOnly?: boolean } = {},
): Promise<DuckDbStore | PostgresStore> {
  if (isPostgresUrl(path)) return PostgresStore.open(path, options);
  return DuckDbStore.open(path, options);
}

export { analyzeCoverage } from './analyses/coverage.js';
export type { CoverageReport } from './analyses/coverage-types.js';
export { analyzeFindings, type FindingsInput, findingsFail } from './analyses/findings/findings.js';
export type {
  Finding,
  FindingKind,
  FindingSeverity,
  FindingsReport,
  Suppression,
} from './analyses/findings/findings-types.js';
export type { FlowReport } from './analyses/flow-types.js';
export { validateFlows } from './analyses/flow-validation.js';
export { analyzeHandlerPerformance } from './analyses/handler-performance.js';
export type { HandlerPerformanceReport } from './analyses/handler-performance-types.js';
export type { TimelineData } from './analyses/timeline.js';
export { buildTimeline } from './analyses/timeline.js';
export type { TraceData } from './analyses/trace-data.js';
export { loadTraceData, UNKNOWN_SEQUENCE } from './analyses/trace-data.js';
export { indexInto } from './cli/index-into.js';
export type { IndexOptions } from './codebase/index.js';
export { indexCodebase } from './codebase/index-codebase-lazily.js';
export { findCode } from './codebase/query.js';
export type { ChromeTrace, TraceEvent } from './exports/chrome-trace.js';
export { toChromeTrace } from './exports/chrome-trace.js';
export { writeChromeTrace } from './exports/chrome-trace-write.js';
export type { OtlpOptions, OtlpStats } from './exports/otlp.js';
export { toOtlp } from './exports/otlp.js';
export type { OtlpSpan, OtlpTraceRequest } from './exports/otlp-types.js';
export { writeOtlp } from './exports/otlp-write.js';
export type { SpeedscopeFile } from './exports/speedscope.js';
export { toSpeedscope } from './exports/speedscope.js';
export { writeSpeedscope } from './exports/speedscope-write.js';
export type {
  BatonChange,
  BatonDiff,
  BeatDefinition,
  BeatRun,
  CodeIndex,
  Diagnostic,
  DurationSource,
  FileInfo,
  FormatId,
  Gap,
  HandlerDefinition,
  HandlerError,
  HandlerRun,
  HandlerTestLink,
  IndexProblem,
  LogLevel,
  LogMessage,
  LogRecord,
  MovementDefinition,
  MovementRun,
  PluginMount,
  Publish,
  RunStatus,
  SequenceDefinition,
  SequenceRegistration,
  SequenceRun,
  Session,
  Severity,
  SourceLocation,
  SourceSpan,
  StackFrame,
  StoreSummary,
  Subscription,
  TelemetryEvent,
  TelemetryEventKind,
  TestCase,
  TestEvidenceKind,
  TextEncoding,
  TopicRoute,
  TraceEntity,
  TraceEntityKind,
  UnknownLine,
} from './model/index.js';
export type { PlayForTestOptions, PlayForTestResult } from './replay/play-for-test.js';
export { playForTest } from './replay/play-for-test.js';
export type { ReplayOptions, ReplayReport } from './replay/replay.js';
export { replay } from './replay/replay.js';
export { allReports, findReport, reportNames } from './reports/registry.js';
export type { BundleFiles } from './reports/report-bundle.js';
export { writeReportBundle } from './reports/report-bundle.js';
export type { ReportEntry, ReportFormat, ReportInput, ReportRun } from './reports/report-definition.js';
export type { ReportSet } from './reports/run-reports.js';
export { analyzeStore, loadReportInput, runReports } from './reports/run-reports.js';
export type { GroundTruth } from './simulate/ground-truth.js';
export type { SimulateOptions } from './simulate/simulate.js';
export { simulate } from './simulate/simulate.js';
