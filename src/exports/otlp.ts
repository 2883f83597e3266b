/**
 * OpenTelemetry export: the runs as one OTLP/JSON `ExportTraceServiceRequest`, for an OpenTelemetry Collector
 * (`POST /v1/traces`, or its `otlpjsonfile` receiver: the request is written on one line) and on to Tempo,
 * Jaeger or ClickHouse. Shapes and encoding rules: otlp-types.ts; attributes: docs/exports.md#otlp.
 *
 * One resource per session (an app start, with its log file), one trace per sequence run. The run is the root
 * span; movements, beats and handler runs are its descendants (beat › movement › run; a handler run › its beat),
 * each named with the conductor's name: sequence name, movement name, beat topic (`beat N` when the log gave
 * none), handler name. Trace and span ids are the first bytes of a SHA-256 of the store's ids, so a re-export of
 * the same store gives the same ids. Handler errors are `exception` span events on the failing handler run (else
 * its beat, else its run), which then has status ERROR; so have failed runs and beats.
 *
 * Times are the log's: a span whose start the log does not give is left out (OTLP spans need one; the counts of
 * what was left out are returned), and its children hang from the nearest ancestor that has one. A handler run's
 * start is its settle time minus its handler time, else its beat's start. An end the log does not give is the
 * start plus the printed duration, else the latest end of the span's descendants, else the start, and the span
 * says `beatscope.end_unknown`. Spans are not clamped into their parents: async handlers outlive their beats.
 */
import { createHash } from 'node:crypto';
import { HandlerDefinitions } from '../analyses/handler-lookup.js';
import { byStartTime, type TraceData } from '../analyses/trace-data.js';
import type { CodeIndex, FileInfo, HandlerError, RunStatus } from '../model/index.js';
import { sequenceLabel } from '../model/unknown-names.js';
import { BEATSCOPE_VERSION } from './chrome-trace.js';
import {
  attributes,
  double,
  type OtlpKeyValue,
  type OtlpResourceSpans,
  type OtlpSpan,
  type OtlpSpanEvent,
  type OtlpTraceRequest,
  SPAN_KIND_INTERNAL,
  STATUS_CODE_ERROR,
  unixNanos,
} from './otlp-types.js';

export interface OtlpOptions {
  /** Handler spans get `code.file.path` / `code.line.number` / `code.function.name` from it. */
  readonly codeIndex?: CodeIndex;
  /** The store's files: each resource gets its session's `log.file.path`. */
  readonly files?: readonly FileInfo[];
  /** `service.name` of every resource; default `musical-conductor-app`. */
  readonly serviceName?: string;
}

/** What the export holds, and what it left out because the log gave no start time (or no parent run). */
export interface OtlpStats {
  readonly traces: number;
  readonly spans: number;
  readonly events: number;
  readonly leftOut: {
    readonly runs: number;
    readonly movements: number;
    readonly beats: number;
    readonly handlerRuns: number;
    readonly errors: number;
  };
}

export const OTLP_SCOPE = 'beatscope';
export const DEFAULT_SERVICE_NAME = 'musical-conductor-app';

/** 32 hex characters: a trace id from a sequence run's store id. */
export function otlpTraceId(runId: string): string {
  return nonZero(createHash('sha256').update(`trace\0${runId}`).digest('hex').slice(0, 32));
}

/** 16 hex characters: a span id from a store id (run, movement, beat or handler run). */
export function otlpSpanId(entityId: string): string {
  return nonZero(createHash('sha256').update(`span\0${entityId}`).digest('hex').slice(0, 16));
}

/** All-zero ids are invalid in OTLP; a hash that is all zeros (never seen, 2^-64) gets a last 1. */
const nonZero = (hex: string) => (/^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex);

/** A span being built: its children extend an unknown end. */
interface Draft {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly startMs: number;
  /** Known end, or null: computed from children in `finish`. */
  readonly endMs: number | null;
  readonly attributes: OtlpKeyValue[];
  readonly events: OtlpSpanEvent[];
  status?: { code: typeof STATUS_CODE_ERROR; message?: string };
  readonly children: Draft[];
}

export function toOtlp(data: TraceData, options: OtlpOptions = {}): { request: OtlpTraceRequest; stats: OtlpStats } {
  const definitions = new HandlerDefinitions(options.codeIndex);
  const fileOf = new Map((options.files ?? []).map((f) => [f.fileId, f.path]));
  const leftOut = { runs: 0, movements: 0, beats: 0, handlerRuns: 0, errors: 0 };
  const drafts = new Map<string, Draft>();
  const rootsBySession = new Map<string, Draft[]>();

  const open = (
    id: string,
    traceId: string,
    parent: Draft | undefined,
    name: string,
    startMs: number,
    endMs: number | null,
    attrs: OtlpKeyValue[],
  ): Draft => {
    const draft: Draft = {
      traceId,
      spanId: otlpSpanId(id),
      parentSpanId: parent?.spanId,
      name,
      startMs,
      endMs,
      attributes: attrs,
      events: [],
      children: [],
    };
    parent?.children.push(draft);
    drafts.set(id, draft);
    return draft;
  };
  const fail = (draft: Draft, status: RunStatus, error: string | null) => {
    if (status === 'failed')
      draft.status = error ? { code: STATUS_CODE_ERROR, message: error } : { code: STATUS_CODE_ERROR };
  };
  const endOf = (startMs: number, endMs: number | null, durationMs: number | null) =>
    endMs ?? (durationMs === null ? null : startMs + durationMs);

  for (const run of data.runs) {
    if (run.startMs === null) {
      leftOut.runs++;
      continue;
    }
    const draft = open(
      run.id,
      otlpTraceId(run.id),
      undefined,
      sequenceLabel(run.sequenceName),
      run.startMs,
      endOf(run.startMs, run.endMs, run.durationMs),
      attributes({
        'conductor.sequence.name': sequenceLabel(run.sequenceName),
        'conductor.sequence.id': run.sequenceId,
        'conductor.plugin': run.pluginId,
        'conductor.request.id': run.requestId,
        'conductor.correlation.id': run.correlationId,
        'conductor.priority': run.priority,
        'conductor.status': run.status,
        'beatscope.id': run.id,
        'beatscope.duration_ms': double(run.durationMs),
        'beatscope.duration_source': run.durationSource,
        'beatscope.log.line': run.span.startLine,
      }),
    );
    fail(draft, run.status, run.error);
    const roots = rootsBySession.get(run.sessionId) ?? [];
    roots.push(draft);
    rootsBySession.set(run.sessionId, roots);
  }
  for (const mv of data.movements) {
    const run = drafts.get(mv.sequenceRunId);
    if (!run || mv.startMs === null) {
      leftOut.movements++;
      continue;
    }
    const draft = open(
      mv.id,
      run.traceId,
      run,
      mv.name,
      mv.startMs,
      endOf(mv.startMs, mv.endMs, mv.durationMs),
      attributes({
        'conductor.movement.name': mv.name,
        'conductor.movement.index': mv.index,
        'conductor.movement.total': mv.total,
        'conductor.status': mv.status,
        'beatscope.id': mv.id,
        'beatscope.duration_ms': double(mv.durationMs),
        'beatscope.duration_source': mv.durationSource,
        'beatscope.log.line': mv.span.startLine,
      }),
    );
    fail(draft, mv.status, null);
  }
  const runOfBeat = new Map<string, string | null>();
  for (const beat of data.beats) {
    runOfBeat.set(beat.id, beat.sequenceRunId);
    const parent = drafts.get(beat.movementRunId ?? '') ?? drafts.get(beat.sequenceRunId ?? '');
    if (!parent || beat.startMs === null) {
      leftOut.beats++;
      continue;
    }
    const draft = open(
      beat.id,
      parent.traceId,
      parent,
      beat.event || `beat ${beat.beat}`,
      beat.startMs,
      endOf(beat.startMs, beat.endMs, beat.durationMs),
      attributes({
        'conductor.beat.number': beat.beat,
        'conductor.beat.position': beat.position,
        'conductor.event': beat.event,
        'conductor.beat.title': beat.title,
        'conductor.handler': beat.handlers.join(', '),
        'conductor.plugin': beat.pluginId,
        'conductor.sequence.name': beat.sequenceName,
        'conductor.status': beat.status,
        'beatscope.id': beat.id,
        'beatscope.duration_ms': double(beat.durationMs),
        'beatscope.duration_source': beat.durationSource,
        'beatscope.log.line': beat.span.startLine,
      }),
    );
    fail(draft, beat.status, beat.error);
  }
  const failedHandler = new Map<string, Draft>();
  for (const h of data.handlerRuns) {
    const beat = drafts.get(h.beatRunId ?? '');
    const parent = beat ?? drafts.get(h.sequenceRunId ?? '');
    const startMs =
      h.settledMs !== null && h.durationMs !== null ? h.settledMs - h.durationMs : (beat?.startMs ?? null);
    if (!parent || startMs === null || h.settledMs === null) {
      leftOut.handlerRuns++;
      continue;
    }
    const location = definitions.find(h.handler, h.pluginId)?.location;
    const draft = open(
      h.id,
      parent.traceId,
      parent,
      h.handler,
      startMs,
      Math.max(startMs, h.settledMs),
      attributes({
        'conductor.handler': h.handler,
        'conductor.plugin': h.pluginId,
        'conductor.event': h.event,
        'conductor.sequence.name': h.sequenceName,
        'conductor.request.id': h.requestId,
        'conductor.status': h.status,
        'code.function.name': h.handler,
        'code.file.path': location?.file,
        'code.line.number': location?.line,
        'beatscope.id': h.id,
        'beatscope.duration_ms': double(h.durationMs),
        'beatscope.duration_source': h.durationSource,
        'beatscope.settled_after_beat': h.settledAfterBeat,
        'beatscope.log.line': h.line,
      }),
    );
    if (h.status === 'error') failedHandler.set(`${h.beatRunId ?? h.sequenceRunId}\0${h.handler}`, draft);
  }
  let events = 0;
  for (const error of data.errors) {
    const target =
      failedHandler.get(`${error.beatRunId ?? error.sequenceRunId}\0${error.handler}`) ??
      drafts.get(error.beatRunId ?? '') ??
      drafts.get(error.sequenceRunId ?? runOfBeat.get(error.beatRunId ?? '') ?? '');
    if (!target) {
      leftOut.errors++;
      continue;
    }
    target.events.push(exceptionEvent(error, target.startMs));
    target.status ??= { code: STATUS_CODE_ERROR, message: error.message };
    events++;
  }

  const resourceSpans: OtlpResourceSpans[] = [];
  let spans = 0;
  let traces = 0;
  for (const session of [...data.sessions].sort(byStartTime)) {
    const roots = rootsBySession.get(session.id);
    if (!roots) continue;
    const list: OtlpSpan[] = [];
    for (const root of roots) finish(root, list);
    spans += list.length;
    traces += roots.length;
    resourceSpans.push({
      resource: {
        attributes: attributes({
          'service.name': options.serviceName ?? DEFAULT_SERVICE_NAME,
          'session.id': session.id,
          'log.file.path': fileOf.get(session.fileId),
          'beatscope.session.marker': session.marker,
          'beatscope.log.line': session.startLine,
        }),
      },
      scopeSpans: [{ scope: { name: OTLP_SCOPE, version: BEATSCOPE_VERSION }, spans: list }],
    });
  }
  return { request: { resourceSpans }, stats: { traces, spans, events, leftOut } };
}

/**
 * Appends `draft` and its descendants to `out`, parents first; returns the latest end (ms) in its subtree, which is
 * the span's own end when the log gave none.
 */
function finish(draft: Draft, out: OtlpSpan[]): number {
  const at = out.length;
  out.push(undefined as never);
  let childEnd = Number.NEGATIVE_INFINITY;
  for (const child of draft.children) childEnd = Math.max(childEnd, finish(child, out));
  const endMs = draft.endMs ?? Math.max(draft.startMs, childEnd);
  const attrs = draft.endMs === null ? [...draft.attributes, ...attributes({ 'beatscope.end_unknown': true })] : null;
  out[at] = {
    traceId: draft.traceId,
    spanId: draft.spanId,
    ...(draft.parentSpanId ? { parentSpanId: draft.parentSpanId } : {}),
    name: draft.name,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: unixNanos(draft.startMs),
    endTimeUnixNano: unixNanos(Math.max(draft.startMs, endMs)),
    attributes: attrs ?? draft.attributes,
    ...(draft.events.length > 0 ? { events: draft.events } : {}),
    ...(draft.status ? { status: draft.status } : {}),
  };
  return Math.max(endMs, childEnd);
}

/** OpenTelemetry's exception event (semantic conventions `exception.*`), at the error line's time. */
function exceptionEvent(error: HandlerError, fallbackMs: number): OtlpSpanEvent {
  const type = /^((?:[A-Za-z_$][\w$]*)?(?:Error|Exception)):/.exec(error.message)?.[1];
  const stack = error.stack
    .map(
      (f) =>
        `    at ${f.fn ? `${f.fn} (` : ''}${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}${f.fn ? ')' : ''}`,
    )
    .join('\n');
  return {
    timeUnixNano: unixNanos(error.timeMs ?? fallbackMs),
    name: 'exception',
    attributes: attributes({
      'exception.type': type,
      'exception.message': error.message,
      'exception.stacktrace': stack,
      'conductor.handler': error.handler,
      'conductor.plugin': error.pluginId,
      'beatscope.id': error.id,
      'beatscope.beat_still_completed': error.beatStillCompleted,
      'beatscope.time_unknown': error.timeMs === null ? true : undefined,
      'beatscope.log.line': error.line,
    }),
  };
}
