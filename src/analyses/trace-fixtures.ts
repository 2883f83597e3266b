/**
 * Hand-built trace data for unit tests of the analyses and reports: each builder fills the fields a test does
 * not care about with neutral values. Times are small epoch ms so expected values stay readable.
 */
import type { CodeIndex, HandlerDefinition, SequenceDefinition } from '../model/code-index.js';
import type { BeatRun, HandlerRun, SequenceRun, Session, Subscription } from '../model/entities.js';
import type { TraceData } from './trace-data.js';

const span = { fileId: 'f1', startLine: 1, endLine: 1 };

export function traceData(parts: Partial<TraceData>): TraceData {
  return {
    sessions: [],
    mounts: [],
    registrations: [],
    subscriptions: [],
    publishes: [],
    runs: [],
    movements: [],
    beats: [],
    handlerRuns: [],
    batons: [],
    errors: [],
    gaps: [],
    messages: [],
    ...parts,
  };
}

export function session(id: string, startMs: number | null, endMs: number | null): Session {
  return {
    kind: 'session',
    id,
    fileId: 'f1',
    index: 0,
    startLine: 1,
    endLine: 1,
    startMs,
    endMs,
    marker: 'file-start',
  };
}

export function sequenceRun(id: string, fields: Partial<SequenceRun> = {}): SequenceRun {
  return {
    kind: 'sequence-run',
    id,
    sessionId: 's1',
    sequenceName: 'Load',
    sequenceId: 'load-symphony',
    pluginId: 'LoadPlugin',
    requestId: null,
    correlationId: null,
    priority: null,
    status: 'completed',
    startMs: null,
    endMs: null,
    durationMs: null,
    durationSource: 'none',
    movementCount: 1,
    beatCount: 0,
    error: null,
    span,
    ...fields,
  };
}

export function beatRun(id: string, sequenceRunId: string, fields: Partial<BeatRun> = {}): BeatRun {
  return {
    kind: 'beat-run',
    id,
    sequenceRunId,
    movementRunId: null,
    sessionId: 's1',
    sequenceName: 'Load',
    beat: 1,
    position: 1,
    event: null,
    title: null,
    handlers: [],
    pluginId: 'LoadPlugin',
    status: 'completed',
    startMs: null,
    endMs: null,
    durationMs: null,
    durationSource: 'none',
    error: null,
    batonUnchanged: 0,
    batonSettledMs: null,
    span,
    ...fields,
  };
}

export function handlerRun(id: string, handler: string, fields: Partial<HandlerRun> = {}): HandlerRun {
  return {
    kind: 'handler-run',
    id,
    sessionId: 's1',
    handler,
    pluginId: 'LoadPlugin',
    event: 'load:event',
    sequenceName: 'Load',
    requestId: null,
    beatRunId: null,
    sequenceRunId: null,
    status: 'ok',
    settledMs: null,
    durationMs: null,
    durationSource: 'none',
    settledAfterBeat: false,
    line: 1,
    ...fields,
  };
}

export function subscription(event: string, fields: Partial<Subscription> = {}): Subscription {
  return {
    kind: 'subscription',
    sessionId: 's1',
    event,
    subscribers: 1,
    pluginId: null,
    sequenceId: null,
    cleanup: false,
    host: false,
    timeMs: null,
    line: 1,
    ...fields,
  };
}

export function handlerDefinition(
  handler: string,
  pluginId: string,
  fields: Partial<HandlerDefinition> = {},
): HandlerDefinition {
  return {
    handler,
    pluginId,
    location: { file: `src/${handler}.ts`, line: 3, column: 17 },
    unresolvedReason: null,
    candidates: [],
    sequences: [],
    tests: [],
    ...fields,
  };
}

/** A one-movement sequence; beats are [event, handler] pairs numbered from 1. */
export function sequenceDefinition(
  id: string,
  name: string,
  pluginId: string,
  beats: readonly [string, string][],
): SequenceDefinition {
  return {
    id,
    name,
    pluginId,
    domainId: null,
    movements: [
      {
        name: 'Main',
        index: 1,
        beats: beats.map(([event, handler], i) => ({
          beat: i + 1,
          position: i + 1,
          event,
          title: handler,
          handler,
          handlerModule: null,
          kind: null,
          testFile: null,
          testCase: null,
          acceptanceCriteriaCount: 0,
        })),
      },
    ],
    source: { file: `json-sequences/${id}.json`, line: 1, column: 1 },
    origin: 'json',
    handlersPath: null,
  };
}

export function codeIndex(parts: Partial<CodeIndex>): CodeIndex {
  return { root: '/repo', sequences: [], handlers: [], tests: [], topics: [], problems: [], ...parts };
}
