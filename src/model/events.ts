/**
 * Classified telemetry: what one console message means, independent of the envelope it came in.
 * Produced by the message classifier (importers/message-grammar.ts), consumed by the trace builder.
 * Durations are milliseconds; `precision` says where they came from.
 */

export interface BatonChange {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
}

/** A DataBaton line (its event or its stored diff) with no key changed and no preview: `No changes`. */
export function isUnchangedBaton(line: { readonly change: BatonChange; readonly preview?: string | null }): boolean {
  const { added, updated, removed } = line.change;
  return added.length + updated.length + removed.length === 0 && !line.preview;
}

export interface StackFrame {
  /** Function name as printed, or undefined for anonymous frames. */
  readonly fn?: string;
  readonly file: string;
  /** 1-based line and column, when printed. */
  readonly line?: number;
  readonly column?: number;
}

export type TelemetryEvent =
  | { readonly kind: 'session-start'; readonly marker: string }
  | { readonly kind: 'plugin-mount-attempt'; readonly pluginId: string }
  | { readonly kind: 'plugin-mount-augment'; readonly pluginId: string }
  | { readonly kind: 'plugin-mount-success'; readonly pluginId: string }
  | { readonly kind: 'plugin-mount-failure'; readonly pluginId: string; readonly error?: string }
  | { readonly kind: 'plugin-not-found'; readonly pluginId: string; readonly available?: string }
  | {
      readonly kind: 'sequence-registered';
      readonly sequenceName?: string;
      readonly sequenceId?: string;
      readonly pluginId?: string;
      readonly via: 'registry' | 'plugin-manager' | 'catalog' | 'native';
    }
  | {
      readonly kind: 'subscribed';
      readonly event: string;
      readonly subscribers?: number;
      readonly pluginId?: string;
      readonly sequenceId?: string;
      readonly cleanup: boolean;
      readonly host: boolean;
    }
  | { readonly kind: 'unsubscribed'; readonly event: string; readonly subscribers?: number }
  | { readonly kind: 'published'; readonly event: string; readonly source: 'eventbus' | 'event-router' | 'host' }
  | { readonly kind: 'subscriber-timing'; readonly event?: string; readonly index: number; readonly durationMs: number }
  | { readonly kind: 'play-request'; readonly pluginId: string; readonly sequenceId: string }
  | { readonly kind: 'correlation'; readonly correlationId: string }
  | { readonly kind: 'execution-hash'; readonly hash: string }
  | { readonly kind: 'enqueued'; readonly sequence: string; readonly priority: string; readonly queueSize?: number }
  | { readonly kind: 'dequeued'; readonly sequence: string }
  | {
      readonly kind: 'sequence-start';
      readonly sequence: string;
      readonly requestId?: string;
      readonly pluginId?: string;
    }
  | { readonly kind: 'sequence-queued'; readonly sequenceName: string; readonly sequenceId: string }
  | { readonly kind: 'request-id'; readonly requestId: string }
  | { readonly kind: 'movement-start'; readonly name: string; readonly index?: number; readonly total?: number }
  | { readonly kind: 'movement-beats'; readonly name: string; readonly beats: number }
  | { readonly kind: 'movement-timing'; readonly name?: string; readonly durationMs: number }
  | { readonly kind: 'movement-complete'; readonly name: string }
  | {
      readonly kind: 'movement-cleanup';
      readonly name: string;
      readonly sequence: string;
      readonly legacyFailedWording: boolean;
    }
  | { readonly kind: 'movement-failed'; readonly name?: string; readonly error?: string }
  | { readonly kind: 'beat-executing'; readonly beat: number; readonly index: number; readonly total: number }
  | { readonly kind: 'beat-start'; readonly beat: number; readonly title: string; readonly event: string }
  | { readonly kind: 'beat-native-start'; readonly beat: number; readonly beatId: string }
  /** EventLogger group child `🎯 Event: <event>`, printed as each beat starts (before its handler runs). */
  | { readonly kind: 'beat-event'; readonly event: string }
  /** `PerformanceTracker: Started timing beat <n> for <seqName>`: names the sequence of a beat. */
  | { readonly kind: 'beat-timer'; readonly beat: number; readonly sequence: string }
  | { readonly kind: 'beat-timing'; readonly beat: number; readonly durationMs: number }
  | {
      readonly kind: 'beat-complete';
      readonly beat: number;
      readonly event: string;
      readonly durationMs: number;
    }
  | { readonly kind: 'beat-failed'; readonly beat: number; readonly event?: string; readonly error?: string }
  | {
      readonly kind: 'baton';
      readonly level: 'handler' | 'beat';
      readonly change: BatonChange;
      readonly sequence: string;
      readonly beat?: number;
      readonly event: string;
      readonly handler?: string;
      readonly pluginId?: string;
      readonly requestId?: string;
      readonly preview?: string;
    }
  | {
      readonly kind: 'handler-error';
      readonly pluginId: string;
      readonly handler: string;
      readonly message: string;
      readonly stack: readonly StackFrame[];
    }
  | { readonly kind: 'sequence-complete'; readonly sequence: string; readonly durationMs?: number }
  | {
      readonly kind: 'sequence-failed';
      readonly sequence: string;
      readonly movement?: number;
      readonly beat?: number;
      readonly error?: string;
    }
  | { readonly kind: 'sequence-stopped'; readonly sequence: string }
  | { readonly kind: 'sequence-rejected'; readonly reason: string; readonly sequenceId?: string }
  /** Recognized framework or host line that carries no reconstruction meaning (startup, stats, group children). */
  | { readonly kind: 'noise'; readonly component: string }
  | { readonly kind: 'warning'; readonly component?: string; readonly text: string }
  | { readonly kind: 'error'; readonly component?: string; readonly text: string };

export type TelemetryEventKind = TelemetryEvent['kind'];
