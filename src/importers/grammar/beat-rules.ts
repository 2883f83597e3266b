/**
 * Movement and beat lines (docs/log-formats.md §3.2, §3.3), the EventLogger group labels and children, the
 * 🕐 emit traces, and the .NET native beat templates (§5).
 */
import type { TelemetryEvent } from '../../model/index.js';
import { noise, num, type Rule, rule } from './rule.js';

// The events of the four most frequent beat lines, shared with the byte path (beat-bytes.ts).
export const beatExecuting = (beat: number, index: number, total: number): TelemetryEvent => ({
  kind: 'beat-executing',
  beat,
  index,
  total,
});
export const beatTiming = (beat: number, durationMs: number): TelemetryEvent => ({
  kind: 'beat-timing',
  beat,
  durationMs,
});
export const beatStart = (beat: number, title: string, event: string): TelemetryEvent => ({
  kind: 'beat-start',
  beat,
  title,
  event,
});
export const beatComplete = (beat: number, event: string, durationMs: number): TelemetryEvent => ({
  kind: 'beat-complete',
  beat,
  event,
  durationMs,
});

export const beatRules: readonly Rule[] = [
  rule('MovementExecutor', /^MovementExecutor: Starting movement "(.+)" with (\d+) beats$/, (m) => ({
    kind: 'movement-beats',
    name: m[1]!,
    beats: num(m[2]),
  })),
  rule('MovementExecutor', /^MovementExecutor: Executing beat (\d+) \((\d+)\/(\d+)\)$/, (m) =>
    beatExecuting(num(m[1]), num(m[2]), num(m[3])),
  ),
  rule('MovementExecutor', /^MovementExecutor: Movement "(.+)" completed successfully$/, (m) => ({
    kind: 'movement-complete',
    name: m[1]!,
  })),
  rule(
    'MovementExecutor',
    /^MovementExecutor: Movement (?:validation )?(?:"(.+)" )?failed(?: for "(.+)")?:?\s*(.*)$/,
    (m) => ({
      kind: 'movement-failed',
      name: m[1] ?? m[2],
      error: m[3] || undefined,
    }),
  ),
  rule('MovementExecutor', /^MovementExecutor: (Continuing sequence despite movement failure.*)$/, (m) => ({
    kind: 'warning',
    component: 'MovementExecutor',
    text: m[1]!,
  })),
  noise('MovementExecutor', /^MovementExecutor: Waiting \d+ms for beat timing/),
  rule('PerformanceTracker', /^PerformanceTracker: Started timing beat (\d+) for (.+)$/, (m) => ({
    kind: 'beat-timer',
    beat: num(m[1]),
    sequence: m[2]!,
  })),
  noise('PerformanceTracker', /^PerformanceTracker: Started timing movement /),
  rule('PerformanceTracker', /^PerformanceTracker: Movement (?:(.+) )?completed in (\d+(?:\.\d+)?)ms$/, (m) => ({
    kind: 'movement-timing',
    name: m[1],
    durationMs: num(m[2]),
  })),
  rule('PerformanceTracker', /^PerformanceTracker: Beat (\d+) completed in (\d+(?:\.\d+)?)ms$/, (m) =>
    beatTiming(num(m[1]), num(m[2])),
  ),
  rule(
    'PerformanceTracker',
    /^PerformanceTracker: Cleaned up (failed movement|tracking for movement) (.+) (?:for|in) (.+)$/,
    (m) => ({
      kind: 'movement-cleanup',
      name: m[2]!,
      sequence: m[3]!,
      legacyFailedWording: m[1] === 'failed movement',
    }),
  ),
  rule('PerformanceTracker', /^PerformanceTracker: (No start time found for beat .*)$/, (m) => ({
    kind: 'warning',
    component: 'PerformanceTracker',
    text: m[1]!,
  })),
  // EventLogger group labels; `Beat <n> Started: <title> (<event>)`: the event is the last parenthesis.
  rule('Beat', /^Beat (\d+) Started: (.*) \(([^()]+)\)$/, (m) => beatStart(num(m[1]), m[2]!, m[3]!)),
  rule('Beat', /^Beat (\d+) Completed in (\d+(?:\.\d+)?)ms$/, (m) => ({
    kind: 'beat-timing',
    beat: num(m[1]),
    durationMs: num(m[2]),
  })),
  noise('Movement', /^Movement Started: .+ \(\d+ beats\)$/),
  noise('Movement', /^Movement completed(?: in \d+(?:\.\d+)?ms)?(?: \| .*)?$/),
  noise('Movement', /^Movement failed: /),
  noise('Movement', /^Movement: /),
  noise('Sequence', /^Sequence: .+/),
  rule('Request', /^Request ID: (\S+)$/, (m) => ({ kind: 'request-id', requestId: m[1]! })),
  noise('Beats', /^Beats (?:Count|executed): \d+$/),
  noise('Beat', /^Beat: \d+/),
  // The beat's event, printed before its handler runs: it names the beat when the `Beat n Started` header is missing.
  rule('Event', /^Event: (\S+)$/, (m) => ({ kind: 'beat-event', event: m[1]! })),
  noise('Completed', /^Completed(?: in \d+(?:\.\d+)?ms)?$/),
  noise('Error', /^Error: /),
  noise('{', /^\{.*\}?$/, 'object'),
  noise('Object', /^Object$/, 'object'),
  rule('BeatExecutor', /^BeatExecutor: Beat (\d+) \((.+)\) completed in (\d+(?:\.\d+)?)ms$/, (m) =>
    beatComplete(num(m[1]), m[2]!, num(m[3])),
  ),
  rule('BeatExecutor', /^BeatExecutor: Beat (\d+) \((.+)\) failed:?\s*(.*)$/, (m) => ({
    kind: 'beat-failed',
    beat: num(m[1]),
    event: m[2]!,
    error: m[3] || undefined,
  })),
  rule('BeatExecutor', /^BeatExecutor: Beat (\d+) failed after (\d+) retry attempts/, (m) => ({
    kind: 'beat-failed',
    beat: num(m[1]),
    error: `failed after ${m[2]} retry attempts`,
  })),
  rule('BeatExecutor', /^BeatExecutor: Beat validation failed for beat (\d+):?\s*(.*)$/, (m) => ({
    kind: 'beat-failed',
    beat: num(m[1]),
    error: `validation failed${m[2] ? `: ${m[2]}` : ''}`,
  })),
  rule('BeatExecutor', /^BeatExecutor: ((?:Retrying beat|Continuing execution despite beat error).*)$/, (m) => ({
    kind: 'warning',
    component: 'BeatExecutor',
    text: m[1]!,
  })),
  noise('ConductorCore', /^ConductorCore: |^ConductorCore\b/),
  // 🕐 emit traces (2025-11-15+): the subscriber's own sync time is the most precise handler timing.
  rule('[EVENTBUS]', /^\[EVENTBUS\] emitAsync CALLED for "(.+?)"/, (m) => ({
    kind: 'published',
    event: m[1]!,
    source: 'eventbus',
  })),
  rule('[EVENTBUS]', /^\[EVENTBUS\] Subscriber (\d+) sync execution took (\d+(?:\.\d+)?)ms$/, (m) => ({
    kind: 'subscriber-timing',
    index: num(m[1]),
    durationMs: num(m[2]),
  })),
  noise('[EVENTBUS]', /^\[EVENTBUS\] /),
  noise('[BEAT', /^\[BEAT EXECUTOR\] /),
  // .NET MusicalConductor.Core (§5)
  rule('SequenceExecutor', /^SequenceExecutor: Executing beat (\d+) \((.+)\)$/, (m) => ({
    kind: 'beat-native-start',
    beat: num(m[1]),
    beatId: m[2]!,
  })),
  rule('SequenceExecutor', /^SequenceExecutor: Beat (\d+) \((.+)\) completed in (\d+(?:\.\d+)?)ms$/, (m) => ({
    kind: 'beat-complete',
    beat: num(m[1]),
    event: m[2]!,
    durationMs: num(m[3]),
  })),
  rule('SequenceExecutor', /^SequenceExecutor: Error executing beat (\d+) \((.+)\)$/, (m) => ({
    kind: 'beat-failed',
    beat: num(m[1]),
    event: m[2]!,
  })),
];
