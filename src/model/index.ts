export type {
  BeatDefinition,
  CodeIndex,
  HandlerDefinition,
  HandlerTestLink,
  IndexProblem,
  MovementDefinition,
  SequenceDefinition,
  SourceLocation,
  TestCase,
  TestEvidenceKind,
  TopicRoute,
} from './code-index.js';
export type {
  BatonDiff,
  BeatRun,
  DurationSource,
  Gap,
  HandlerError,
  HandlerRun,
  LogMessage,
  MovementRun,
  PluginMount,
  Publish,
  RunStatus,
  SequenceRegistration,
  SequenceRun,
  Session,
  SourceSpan,
  Subscription,
  TraceEntity,
  TraceEntityKind,
  UnknownLine,
} from './entities.js';
export type { BatonChange, StackFrame, TelemetryEvent, TelemetryEventKind } from './events.js';
export type { ContentPrint, FileInfo, TextEncoding } from './file-info.js';
export type { Diagnostic, FormatId, LogLevel, LogRecord, Severity } from './log-record.js';
export type { StoreSummary } from './summary.js';
