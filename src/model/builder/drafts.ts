/**
 * Mutable drafts of the model's entities. Only the trace builder holds them; what it emits is the
 * finished, read-only value.
 */
import type {
  BatonDiff,
  BeatRun,
  HandlerError,
  HandlerRun,
  MovementRun,
  PluginMount,
  SequenceRun,
  Session,
  SourceSpan,
} from '../entities.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A mutable entity whose source span can also grow. */
export type Draft<T extends { span: SourceSpan }> = Omit<Mutable<T>, 'span'> & { span: Mutable<SourceSpan> };

export interface BeatDraft {
  readonly value: Draft<BeatRun>;
  /** PerformanceTracker duration (2-decimal ms), preferred over BeatExecutor's integer ms. */
  perfMs: number | null;
  /** Handler runs attached to this beat, in settle order. */
  readonly handlerRuns: Mutable<HandlerRun>[];
  /** EventBus subscriber timings seen before the handler's own line, applied in order. */
  readonly pendingSubscriberMs: number[];
  open: boolean;
}

export interface RunDraft {
  readonly value: Draft<SequenceRun>;
  readonly ordinal: number;
  readonly movements: Draft<MovementRun>[];
  readonly beats: BeatDraft[];
  readonly handlerRuns: Mutable<HandlerRun>[];
  readonly batons: Mutable<BatonDiff>[];
  readonly errors: (Mutable<HandlerError> & { beat: BeatDraft | null })[];
  open: boolean;
  /** The log time the run was closed at, to decide when late lines can no longer arrive. */
  closedAtMs: number | null;
  closedAtLine: number;
}

export interface PendingPlay {
  pluginId: string | null;
  sequenceId: string | null;
  sequenceName: string | null;
  correlationId: string | null;
  priority: string | null;
}

export interface SessionDraft {
  readonly value: Mutable<Session>;
  readonly mounts: Mutable<PluginMount>[];
  /** Has seen a mount, a play or a run: a later startup banner then starts a new session. */
  active: boolean;
}
