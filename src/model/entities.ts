/**
 * The reconstructed trace model: plain read-only data, one tagged kind per entity.
 * Times are whole epoch milliseconds (`…Ms`; derived ones, such as a start computed from an end and a
 * 2-decimal duration, are rounded) and null when the log carried no timestamp; durations are milliseconds.
 * Lines are 1-based physical line numbers in the source file. IDs are deterministic: the same file content
 * always yields the same IDs, so baselines can match them across ingests.
 */
import type { BatonChange, StackFrame } from './events.js';

/** Where an entity was read from. */
export interface SourceSpan {
  readonly fileId: string;
  readonly startLine: number;
  readonly endLine: number;
}

/** How a duration was obtained, most precise first. */
export type DurationSource =
  | 'performance-tracker' // PerformanceTracker, 2-decimal ms from performance.now()
  | 'beat-executor' // BeatExecutor / SequenceExecutor integer ms from Date.now()
  | 'eventbus-trace' // 🕐 [EVENTBUS] subscriber timing, 2-decimal ms
  | 'timestamps' // difference of two envelope timestamps (ms resolution)
  | 'none';

export type RunStatus = 'completed' | 'failed' | 'stopped' | 'incomplete';

/** One app start: from a startup banner (or the file start) to the next one (or the file end). */
export interface Session {
  readonly kind: 'session';
  readonly id: string;
  readonly fileId: string;
  /** 0-based index of the session within its file. */
  readonly index: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly startMs: number | null;
  readonly endMs: number | null;
  /** What opened the session: a startup line, or `file-start`. */
  readonly marker: string;
}

export interface PluginMount {
  readonly kind: 'plugin-mount';
  readonly id: string;
  readonly sessionId: string;
  readonly pluginId: string;
  /** `attempted`: an attempt with no success or failure line (validation refusals print nothing more). */
  readonly status: 'succeeded' | 'failed' | 'attempted';
  /** The plugin was already mounted and this mount added a sequence to it. */
  readonly augmented: boolean;
  readonly error: string | null;
  readonly timeMs: number | null;
  readonly span: SourceSpan;
}

export interface SequenceRegistration {
  readonly kind: 'sequence-registration';
  readonly sessionId: string;
  readonly sequenceId: string | null;
  readonly sequenceName: string | null;
  readonly pluginId: string | null;
  /** Which line made the link: the registry, a subscription context `(plugin: P:seq-id)`, a host catalog mount. */
  readonly via: 'registry' | 'plugin-manager' | 'catalog' | 'native' | 'subscription';
  readonly timeMs: number | null;
  readonly line: number;
}

export interface Subscription {
  readonly kind: 'subscription';
  readonly sessionId: string;
  readonly event: string;
  readonly subscribers: number | null;
  readonly pluginId: string | null;
  readonly sequenceId: string | null;
  /** The `:cleanup` subscription a mount adds for `<pluginId>:sequence:completed`. */
  readonly cleanup: boolean;
  /** Subscribed through the host's EventRouter (topic), not the conductor's EventBus. */
  readonly host: boolean;
  readonly timeMs: number | null;
  readonly line: number;
}

export interface Publish {
  readonly kind: 'publish';
  readonly sessionId: string;
  readonly event: string;
  readonly source: 'eventbus' | 'event-router' | 'host';
  readonly timeMs: number | null;
  readonly line: number;
}

export interface SequenceRun {
  readonly kind: 'sequence-run';
  readonly id: string;
  readonly sessionId: string;
  /** Empty when the log never named it (a capture that starts inside a run and ends before its end). */
  readonly sequenceName: string;
  readonly sequenceId: string | null;
  readonly pluginId: string | null;
  readonly requestId: string | null;
  readonly correlationId: string | null;
  readonly priority: string | null;
  readonly status: RunStatus;
  readonly startMs: number | null;
  readonly endMs: number | null;
  /** Conductor-reported duration when printed, else from timestamps. */
  readonly durationMs: number | null;
  readonly durationSource: DurationSource;
  readonly movementCount: number;
  readonly beatCount: number;
  readonly error: string | null;
  readonly span: SourceSpan;
}

export interface MovementRun {
  readonly kind: 'movement-run';
  readonly id: string;
  readonly sequenceRunId: string;
  readonly sessionId: string;
  readonly name: string;
  /** 1-based position `i` of `Executing movement "<name>" (i/n)`. */
  readonly index: number;
  readonly total: number | null;
  readonly declaredBeats: number | null;
  readonly status: RunStatus;
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly durationMs: number | null;
  readonly durationSource: DurationSource;
  readonly span: SourceSpan;
}

export interface BeatRun {
  readonly kind: 'beat-run';
  readonly id: string;
  readonly sequenceRunId: string | null;
  readonly movementRunId: string | null;
  readonly sessionId: string;
  readonly sequenceName: string | null;
  /** Beat number as defined (may repeat within a movement). */
  readonly beat: number;
  /** 1-based position `i` of `Executing beat <beat> (i/n)` within its movement; null if not printed. */
  readonly position: number | null;
  readonly event: string | null;
  readonly title: string | null;
  /** Handler names that ran for this beat, from handler-level DataBaton and handler-error lines. */
  readonly handlers: readonly string[];
  readonly pluginId: string | null;
  readonly status: RunStatus;
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly durationMs: number | null;
  readonly durationSource: DurationSource;
  readonly error: string | null;
  /**
   * Beat-level `🎽 DataBaton: No changes | … beat=<beat> … handler=?` lines of this beat (docs/log-formats.md §3.4),
   * folded into the beat rather than kept as a baton diff each: how many (usually 0 or 1), and the log time of the
   * last one, epoch ms (null when none, or without timestamps). A beat-level line that finds no beat of an open run
   * stays a `BatonDiff`.
   */
  readonly batonUnchanged: number;
  readonly batonSettledMs: number | null;
  readonly span: SourceSpan;
}

/**
 * One handler execution. Seen through its handler-level DataBaton line (logged when the handler settled)
 * or its `Handler execution failed` line. `settledMs` is the settle timestamp; for async handlers it can
 * be after the beat completed (docs/log-formats.md §7).
 */
export interface HandlerRun {
  readonly kind: 'handler-run';
  readonly id: string;
  readonly sessionId: string;
  readonly handler: string;
  readonly pluginId: string | null;
  readonly event: string;
  readonly sequenceName: string | null;
  readonly requestId: string | null;
  readonly beatRunId: string | null;
  readonly sequenceRunId: string | null;
  readonly status: 'ok' | 'error';
  readonly settledMs: number | null;
  /**
   * Handler time: from its beat's start to its settle line, or a precise EventBus subscriber timing.
   * Null when the log has no timestamps and no trace.
   */
  readonly durationMs: number | null;
  readonly durationSource: DurationSource;
  /** Settled after its beat had completed (an async handler the beat did not await). */
  readonly settledAfterBeat: boolean;
  readonly line: number;
}

export interface BatonDiff {
  readonly kind: 'baton-diff';
  readonly id: string;
  readonly sessionId: string;
  readonly level: 'handler' | 'beat';
  readonly change: BatonChange;
  readonly preview: string | null;
  readonly handler: string | null;
  readonly pluginId: string | null;
  readonly requestId: string | null;
  readonly event: string;
  readonly sequenceName: string;
  readonly beat: number | null;
  readonly beatRunId: string | null;
  readonly sequenceRunId: string | null;
  readonly timeMs: number | null;
  readonly line: number;
}

export interface HandlerError {
  readonly kind: 'handler-error';
  readonly id: string;
  readonly sessionId: string;
  readonly pluginId: string;
  readonly handler: string;
  readonly message: string;
  readonly stack: readonly StackFrame[];
  readonly beatRunId: string | null;
  readonly sequenceRunId: string | null;
  /** True when the conductor still reported the beat completed (a caught handler error). */
  readonly beatStillCompleted: boolean;
  readonly timeMs: number | null;
  readonly line: number;
}

/** A silence between two consecutive timestamped lines longer than the gap threshold. */
export interface Gap {
  readonly kind: 'gap';
  readonly sessionId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly durationMs: number;
  /** Last line before and first line after the silence. */
  readonly beforeLine: number;
  readonly afterLine: number;
}

/** A warning or error line of the app or framework. */
export interface LogMessage {
  readonly kind: 'log-message';
  readonly sessionId: string;
  readonly level: 'warn' | 'error';
  readonly component: string | null;
  readonly text: string;
  readonly timeMs: number | null;
  readonly line: number;
}

/** A line no grammar recognized, kept with its place and grouped by template. */
export interface UnknownLine {
  readonly kind: 'unknown-line';
  readonly sessionId: string;
  readonly line: number;
  readonly text: string;
  /** The text with numbers, ids, quoted strings and timestamps replaced by placeholders. */
  readonly template: string;
}

export type TraceEntity =
  | Session
  | PluginMount
  | SequenceRegistration
  | Subscription
  | Publish
  | SequenceRun
  | MovementRun
  | BeatRun
  | HandlerRun
  | BatonDiff
  | HandlerError
  | Gap
  | LogMessage
  | UnknownLine;

export type TraceEntityKind = TraceEntity['kind'];
