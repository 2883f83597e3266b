import { describe, expect, it } from 'vitest';
import { beatRules } from './beat-rules.js';
import { classifyMessage } from './classify.js';
import { type MatchRow, type MissRow, matchFamily, sourceText } from './rule-table-fixtures.js';

/** Real lines of the captured consoles (envelope removed) → the event the rule yields. */
const ROWS: readonly MatchRow[] = [
  {
    source: 'sample-telemetry',
    message: '🎵 MovementExecutor: Starting movement "Init" with 6 beats',
    expected: { kind: 'movement-beats', name: 'Init', beats: 6 },
  },
  {
    source: 'resize-move',
    message: '🥁 MovementExecutor: Executing beat 1 (1/2)',
    expected: { kind: 'beat-executing', beat: 1, index: 1, total: 2 },
  },
  {
    // The per-source transcript shows 🎥 where the emitter prints 🥁: the icon is stripped whatever it is.
    source: 'devtools-transcript',
    message: '🎥 MovementExecutor: Executing beat 3 (3/3)',
    expected: { kind: 'beat-executing', beat: 3, index: 3, total: 3 },
  },
  {
    source: 'devtools-transcript',
    message: '✅ MovementExecutor: Movement "Render" completed successfully',
    expected: { kind: 'movement-complete', name: 'Render' },
  },
  {
    source: 'sample-telemetry',
    message: '⏱️ PerformanceTracker: Started timing beat 6 for Control Panel UI Init',
    expected: { kind: 'beat-timer', beat: 6, sequence: 'Control Panel UI Init' },
  },
  {
    source: 'resize-move',
    message: '⏱️ PerformanceTracker: Started timing movement Resize Move for Canvas Component Resize Move',
    expected: { kind: 'noise', component: 'PerformanceTracker' },
  },
  {
    source: 'sample-telemetry',
    message: '⏱️ PerformanceTracker: Movement Init completed in 50.00ms',
    expected: { kind: 'movement-timing', name: 'Init', durationMs: 50 },
  },
  {
    source: 'resize-move',
    message: '⏱️ PerformanceTracker: Movement completed in 8.50ms',
    expected: { kind: 'movement-timing', name: undefined, durationMs: 8.5 },
  },
  {
    source: 'devtools-transcript',
    message: '⏱️ PerformanceTracker: Beat 2 completed in 14.50ms',
    expected: { kind: 'beat-timing', beat: 2, durationMs: 14.5 },
  },
  {
    source: 'installhook',
    message: '⏱️ PerformanceTracker: Cleaned up failed movement Get Current Theme for Header UI Theme Get',
    expected: {
      kind: 'movement-cleanup',
      name: 'Get Current Theme',
      sequence: 'Header UI Theme Get',
      legacyFailedWording: true,
    },
  },
  {
    source: 'sample-telemetry',
    message: '🎵 Beat 1 Started: Load Components (library:components:load)',
    expected: { kind: 'beat-start', beat: 1, title: 'Load Components', event: 'library:components:load' },
  },
  {
    source: 'cypress',
    message: '🎵 Beat 3 Started: Render View (control:panel:ui:render)',
    expected: { kind: 'beat-start', beat: 3, title: 'Render View', event: 'control:panel:ui:render' },
  },
  {
    source: 'sample-telemetry',
    message: '🎵 Movement Started: Init (6 beats)',
    expected: { kind: 'noise', component: 'Movement' },
  },
  {
    source: 'sample-telemetry',
    message: '✅ Movement completed in 12.80ms',
    expected: { kind: 'noise', component: 'Movement' },
  },
  {
    source: 'sample-telemetry',
    message: '🎵 Movement: Movement 2',
    expected: { kind: 'noise', component: 'Movement' },
  },
  {
    source: 'sample-telemetry',
    message: '🆔 Request ID: control-panel-ui-init-symphony-1761945322375-2h54kylvp',
    expected: { kind: 'request-id', requestId: 'control-panel-ui-init-symphony-1761945322375-2h54kylvp' },
  },
  {
    source: 'sample-telemetry',
    message: '🥁 Beats executed: 6',
    expected: { kind: 'noise', component: 'Beats' },
  },
  { source: 'sample-telemetry', message: '📊 Beat: 4', expected: { kind: 'noise', component: 'Beat' } },
  {
    source: 'sample-telemetry',
    message: '🎯 Event: control:panel:ui:init:schemas',
    expected: { kind: 'beat-event', event: 'control:panel:ui:init:schemas' },
  },
  {
    source: 'sample-telemetry',
    message: '✅ Completed in 8.50ms',
    expected: { kind: 'noise', component: 'Completed' },
  },
  {
    source: 'cypress',
    message:
      '{"sequence":"Control Panel UI Render","movement":"Movement 1","beat":3,"type":"UNKNOWN","timing":"immediate","dynamics":"mf"}',
    expected: { kind: 'noise', component: 'object' },
  },
  {
    source: 'sample-telemetry',
    message: '✅ BeatExecutor: Beat 2 (library:components:notify-ui) completed in 5ms',
    expected: { kind: 'beat-complete', beat: 2, event: 'library:components:notify-ui', durationMs: 5 },
  },
  {
    source: 'node-1.4.5',
    message: '✅ BeatExecutor: Beat 2 (demo:fail) completed in 12ms',
    expected: { kind: 'beat-complete', beat: 2, event: 'demo:fail', durationMs: 12 },
  },
  {
    source: 'cypress',
    message:
      '🕐 [EVENTBUS] emitAsync CALLED for "control:panel:ui:render" at 2025-11-17T16:40:45.056Z (perf: 1843.00ms)',
    expected: { kind: 'published', event: 'control:panel:ui:render', source: 'eventbus' },
  },
  {
    source: 'cypress',
    message: '🕐 [EVENTBUS] Subscriber 0 sync execution took 6.80ms',
    expected: { kind: 'subscriber-timing', index: 0, durationMs: 6.8 },
  },
  {
    source: 'cypress',
    message: '🕐 [EVENTBUS] Found 1 subscriber(s) for "control:panel:ui:render"',
    expected: { kind: 'noise', component: '[EVENTBUS]' },
  },
  {
    source: 'cypress',
    message:
      '🕐 [BEAT EXECUTOR] About to emitAsync for event "control:panel:ui:render" at 2025-11-17T16:40:45.056Z (perf: 1843.00ms)',
    expected: { kind: 'noise', component: '[BEAT' },
  },
];

/** Shapes printed by the conductor's source that no captured log holds yet (docs/log-formats.md §3.2, §3.3, §5). */
const SOURCE_ONLY_ROWS: readonly Omit<MatchRow, 'source'>[] = [
  {
    message: '❌ BeatExecutor: Beat 2 (library:components:notify-ui) failed: Error: boom',
    expected: { kind: 'beat-failed', beat: 2, event: 'library:components:notify-ui', error: 'Error: boom' },
  },
  {
    message: '❌ BeatExecutor: Beat 2 failed after 3 retry attempts, aborting sequence',
    expected: { kind: 'beat-failed', beat: 2, error: 'failed after 3 retry attempts' },
  },
  {
    message: '❌ MovementExecutor: Movement "Load" failed: Error: boom',
    expected: { kind: 'movement-failed', name: 'Load', error: 'Error: boom' },
  },
  {
    message: '✅ SequenceExecutor: Beat 1 (library-load-1) completed in 12ms',
    expected: { kind: 'beat-complete', beat: 1, event: 'library-load-1', durationMs: 12 },
  },
];

const MISSES: readonly MissRow[] = [
  {
    message: '🎵 Beat 1 Started: Load Components',
    why: 'group label without the (event) parenthesis: no event to key the beat by',
  },
  {
    message: '✅ BeatExecutor: Beat 1 (library:components:load) completed',
    why: 'no logged duration',
  },
  {
    message: '🎼 SequenceExecutor: Executing movement "Init" (1/1)',
    why: 'movement i of n is a sequence lifecycle line (sequence-rules), same component',
  },
  {
    message: '⏱️ PerformanceTracker: Beat 1 completed',
    why: 'timer end without milliseconds',
  },
  { message: '🥁 MovementExecutor: Executing beat two (2/3)', why: 'beat number not numeric' },
];

describe('movement and beat rules', () => {
  it.each(ROWS)('$message', ({ source, message, expected }) => {
    expect(sourceText(source)).toContain(message);
    const event = matchFamily(beatRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(SOURCE_ONLY_ROWS)('source-only shape: $message', ({ message, expected }) => {
    const event = matchFamily(beatRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(MISSES)('leaves alone: $message ($why)', ({ message }) => {
    expect(matchFamily(beatRules, message)).toBeUndefined();
  });
});
