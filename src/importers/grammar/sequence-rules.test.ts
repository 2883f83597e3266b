import { describe, expect, it } from 'vitest';
import { classifyMessage } from './classify.js';
import { type MatchRow, type MissRow, matchFamily, sourceText } from './rule-table-fixtures.js';
import { sequenceRules } from './sequence-rules.js';

/** Real lines of the captured consoles (envelope removed) → the event the rule yields. */
const ROWS: readonly MatchRow[] = [
  {
    source: 'sample-telemetry',
    message: '🎼 PluginInterfaceFacade.play(): LibraryPlugin -> library-load-symphony',
    expected: { kind: 'play-request', pluginId: 'LibraryPlugin', sequenceId: 'library-load-symphony' },
  },
  {
    source: 'doc-excerpts',
    message: '🎼 PluginInterfaceFacade.play(): CanvasComponentPlugin → canvas-component-create-symphony',
    expected: {
      kind: 'play-request',
      pluginId: 'CanvasComponentPlugin',
      sequenceId: 'canvas-component-create-symphony',
    },
  },
  {
    source: 'production-index',
    message:
      '🎼 MusicalConductor.play ENTRY: pluginId=LibraryComponentPlugin, sequenceId=library-component-drop-symphony at 2025-11-15T21:59:20.793Z (perf=23444.10ms)',
    expected: { kind: 'noise', component: 'MusicalConductor' },
  },
  {
    source: 'sample-telemetry',
    message: '🎼 MusicalConductor.play: preserved 1 callback(s) for correlationId=mc-1761945322362-0vnjii',
    expected: { kind: 'correlation', correlationId: 'mc-1761945322362-0vnjii' },
  },
  {
    source: 'node-1.4.5',
    message: '🎼 MusicalConductor: cleaned callbacks for correlationId=mc-1795305580987-yoaydi',
    expected: { kind: 'noise', component: 'MusicalConductor' },
  },
  {
    source: 'sample-telemetry',
    message: '🎼 SequenceOrchestrator: Recording sequence execution: -4wscky',
    expected: { kind: 'execution-hash', hash: '-4wscky' },
  },
  {
    source: 'sample-telemetry',
    message:
      '🎼 SequenceOrchestrator: Sequence "Control Panel UI Init" (id: control-panel-ui-init-symphony) queued successfully',
    expected: {
      kind: 'sequence-queued',
      sequenceName: 'Control Panel UI Init',
      sequenceId: 'control-panel-ui-init-symphony',
    },
  },
  {
    source: 'sample-telemetry',
    message: '🎼 ExecutionQueue: Enqueued "Library Load" with priority NORMAL (Queue size: 1)',
    expected: { kind: 'enqueued', sequence: 'Library Load', priority: 'NORMAL', queueSize: 1 },
  },
  {
    source: 'sample-telemetry',
    message: '🎼 ExecutionQueue: Dequeued "Control Panel UI Init"',
    expected: { kind: 'dequeued', sequence: 'Control Panel UI Init' },
  },
  {
    source: 'sample-telemetry',
    message: '🎼 ExecutionQueue: Now executing "Control Panel UI Init"',
    expected: { kind: 'sequence-start', sequence: 'Control Panel UI Init' },
  },
  {
    source: 'sample-telemetry',
    message: '🎼 ExecutionQueue: Marked "Library Load" as completed (Total completed: 3)',
    expected: { kind: 'noise', component: 'ExecutionQueue' },
  },
  {
    source: 'sample-telemetry',
    message: '📊 StatisticsManager: Recorded sequence execution (0.00ms)',
    expected: { kind: 'noise', component: 'StatisticsManager' },
  },
  {
    source: 'sample-telemetry',
    message: '🎼 SequenceExecutor: Executing movement "Init" (1/1)',
    expected: { kind: 'movement-start', name: 'Init', index: 1, total: 1 },
  },
  {
    source: 'sample-telemetry',
    message: '✅ SequenceExecutor: Sequence "Control Panel UI Init" completed in 50ms',
    expected: { kind: 'sequence-complete', sequence: 'Control Panel UI Init', durationMs: 50 },
  },
  {
    source: 'doc-excerpts',
    message: '✅ SequenceExecutor: Sequence "Canvas Component Create" completed in 37ms',
    expected: { kind: 'sequence-complete', sequence: 'Canvas Component Create', durationMs: 37 },
  },
  {
    source: 'node-1.4.5',
    message: '✅ SequenceExecutor: Sequence "Demo Load" completed in 42ms',
    expected: { kind: 'sequence-complete', sequence: 'Demo Load', durationMs: 42 },
  },
];

/**
 * Shapes printed by the conductor's source that no captured log holds yet (docs/log-formats.md §3.1, §5),
 * filled in with names from the corpus.
 */
const SOURCE_ONLY_ROWS: readonly Omit<MatchRow, 'source'>[] = [
  {
    message: '❌ SequenceExecutor: Sequence "Library Load" failed at movement 1, beat 2: Error: boom',
    expected: { kind: 'sequence-failed', sequence: 'Library Load', movement: 1, beat: 2, error: 'Error: boom' },
  },
  {
    message: '🛑 SequenceExecutor: Stopping execution of "Library Load"',
    expected: { kind: 'sequence-stopped', sequence: 'Library Load' },
  },
  {
    message: '🎼 SequenceOrchestrator: Sequence with ID "library-load-symphony" not found!',
    expected: { kind: 'sequence-rejected', reason: 'not found', sequenceId: 'library-load-symphony' },
  },
  {
    message:
      '🎼 SequenceExecutor: Starting sequence execution: library-load-symphony (RequestId=r-1, PluginId=LibraryPlugin)',
    expected: {
      kind: 'sequence-start',
      sequence: 'library-load-symphony',
      requestId: 'r-1',
      pluginId: 'LibraryPlugin',
    },
  },
];

const MISSES: readonly MissRow[] = [
  {
    message: '🎼 PluginInterfaceFacade.play(): LibraryComponentPlugin...',
    why: 'real line cut by a doc (mixed-envelopes excerpt): no sequence id',
  },
  {
    message: '✅ SequenceRegistry: Sequence "Library Load" validation passed',
    why: 'registry validation, a mount line (mount-rules)',
  },
  {
    message: '🥁 SequenceExecutor: Executing beat 1 (library:components:load)',
    why: '.NET beat template on the same component, a beat line (beat-rules)',
  },
  { message: '🎼 Sequence: Library Load', why: 'EventLogger group child, not a lifecycle line' },
  {
    message: '✅ SequenceExecutor: Sequence "Library Load" completed',
    why: 'no duration: the complete rule needs the logged milliseconds',
  },
];

describe('sequence lifecycle rules', () => {
  it.each(ROWS)('$message', ({ source, message, expected }) => {
    expect(sourceText(source)).toContain(message);
    const event = matchFamily(sequenceRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(SOURCE_ONLY_ROWS)('source-only shape: $message', ({ message, expected }) => {
    const event = matchFamily(sequenceRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(MISSES)('leaves alone: $message ($why)', ({ message }) => {
    expect(matchFamily(sequenceRules, message)).toBeUndefined();
  });
});
