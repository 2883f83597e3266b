/**
 * Sequence lifecycle and queue lines (docs/log-formats.md §3.1), web grammar and the .NET native templates (§5).
 */
import { noise, num, type Rule, rule } from './rule.js';

export const sequenceRules: readonly Rule[] = [
  rule('PluginInterfaceFacade', /^PluginInterfaceFacade\.play\(\): (\S+) (?:->|→) (\S+)$/, (m) => ({
    kind: 'play-request',
    pluginId: m[1]!,
    sequenceId: m[2]!,
  })),
  rule('PluginInterfaceFacade', /^PluginInterfaceFacade\.play\(\) failed for (\S+?)\.(\S+?): (.*)$/, (m) => ({
    kind: 'error',
    component: 'PluginInterfaceFacade',
    text: `play() failed for ${m[1]}.${m[2]}: ${m[3]}`,
  })),
  noise('MusicalConductor', /^MusicalConductor\.play ENTRY: pluginId=\S+, sequenceId=\S+/),
  rule('MusicalConductor', /^MusicalConductor\.play: preserved \d+ callback\(s\) for correlationId=(\S+)/, (m) => ({
    kind: 'correlation',
    correlationId: m[1]!,
  })),
  noise('MusicalConductor', /^MusicalConductor: cleaned callbacks for correlationId=/),
  rule('SequenceOrchestrator', /^SequenceOrchestrator: Recording sequence execution: (\S+)$/, (m) => ({
    kind: 'execution-hash',
    hash: m[1]!,
  })),
  rule('SequenceOrchestrator', /^SequenceOrchestrator: Sequence "(.+)" \(id: (\S+)\) queued successfully/, (m) => ({
    kind: 'sequence-queued',
    sequenceName: m[1]!,
    sequenceId: m[2]!,
  })),
  rule('SequenceOrchestrator', /^SequenceOrchestrator: Sequence request rejected - (.*)$/, (m) => ({
    kind: 'sequence-rejected',
    reason: m[1]!,
  })),
  rule('SequenceOrchestrator', /^SequenceOrchestrator: Sequence with ID "(.+)" not found!?$/, (m) => ({
    kind: 'sequence-rejected',
    reason: 'not found',
    sequenceId: m[1]!,
  })),
  rule('SequenceOrchestrator', /^SequenceOrchestrator: (Failed to (?:start|execute) sequence.*)$/, (m) => ({
    kind: 'error',
    component: 'SequenceOrchestrator',
    text: m[1]!,
  })),
  rule('ExecutionQueue', /^ExecutionQueue: Enqueued "(.+)" with priority (\w+)(?: \(Queue size: (\d+)\))?/, (m) => ({
    kind: 'enqueued',
    sequence: m[1]!,
    priority: m[2]!,
    queueSize: m[3] === undefined ? undefined : num(m[3]),
  })),
  rule('ExecutionQueue', /^ExecutionQueue: Dequeued "(.+)"$/, (m) => ({ kind: 'dequeued', sequence: m[1]! })),
  rule(['ExecutionQueue', 'Conductor'], /^(?:ExecutionQueue|Conductor): Now executing "(.+)"$/, (m) => ({
    kind: 'sequence-start',
    sequence: m[1]!,
  })),
  noise('ExecutionQueue', /^ExecutionQueue: Marked ".+" as completed/),
  rule('ExecutionQueue', /^ExecutionQueue: Execution state transitioned to FAILED - (.+)$/, (m) => ({
    kind: 'warning',
    component: 'ExecutionQueue',
    text: `execution failed: ${m[1]}`,
  })),
  noise('StatisticsManager', /^StatisticsManager: Recorded sequence execution/),
  rule('SequenceExecutor', /^SequenceExecutor: Executing movement "(.+)" \((\d+)\/(\d+)\)$/, (m) => ({
    kind: 'movement-start',
    name: m[1]!,
    index: num(m[2]),
    total: num(m[3]),
  })),
  rule('SequenceExecutor', /^SequenceExecutor: Sequence "(.+)" completed in (\d+(?:\.\d+)?)ms/, (m) => ({
    kind: 'sequence-complete',
    sequence: m[1]!,
    durationMs: num(m[2]),
  })),
  rule(
    'SequenceExecutor',
    /^SequenceExecutor: Sequence "(.+)" failed at movement (\d+), beat (\d+):?\s*(.*)$/,
    (m) => ({
      kind: 'sequence-failed',
      sequence: m[1]!,
      movement: num(m[2]),
      beat: num(m[3]),
      error: m[4] || undefined,
    }),
  ),
  rule('SequenceExecutor', /^SequenceExecutor: Stopping execution of "(.+)"$/, (m) => ({
    kind: 'sequence-stopped',
    sequence: m[1]!,
  })),
  // .NET MusicalConductor.Core templates (§5): ids instead of names, RequestId and PluginId inline.
  rule(
    'SequenceExecutor',
    /^SequenceExecutor: Starting sequence execution: (\S+) \(RequestId=([^,]+), PluginId=([^)]+)\)$/,
    (m) => ({ kind: 'sequence-start', sequence: m[1]!, requestId: m[2]!, pluginId: m[3]! }),
  ),
  noise('SequenceExecutor', /^SequenceExecutor: Executing sequence ".+" with \d+ beats$/),
  rule(
    'SequenceExecutor',
    /^SequenceExecutor: Error executing sequence: (\S+) \(RequestId=[^,]+, Reason=(.*)\)$/,
    (m) => ({ kind: 'sequence-failed', sequence: m[1]!, error: m[2]! }),
  ),
  rule('MusicalConductor', /^MusicalConductor: Sequence state transitioned to FAILED - (.+)$/, (m) => ({
    kind: 'warning',
    component: 'MusicalConductor',
    text: `sequence failed: ${m[1]}`,
  })),
  noise('Failure', /^Failure Context: \d+ beats completed/),
];
