/**
 * Open and recently closed sequence runs of one session: runs start, end and are emitted once their late
 * window has passed. Run-level events go to their trackers: movements (movement-tracker.ts), beats
 * (beat-tracker.ts), DataBaton diffs, handler runs and handler errors (handler-attribution.ts).
 *
 * The JS conductor executes one sequence at a time from its queue, but lines of async handlers and of
 * runs started from other plays interleave, so the "current" run is the most recently started open one
 * and late lines are matched by request id / sequence name / event (run-lookup.ts).
 */
import type { RunStatus, TraceEntity } from '../entities.js';
import type { TelemetryEvent } from '../events.js';
import { BeatTracker, settleTimedBeat } from './beat-tracker.js';
import type { RunDraft } from './drafts.js';
import { finalizeRun } from './finalize.js';
import { HandlerAttribution } from './handler-attribution.js';
import { MovementTracker } from './movement-tracker.js';
import { findOpenRunByName, latestBeat, type RunCursor } from './run-lookup.js';

/** Closed runs stay matchable for late lines this long (log time, ms) … */
const LATE_WINDOW_MS = 30_000;
/** … and at most this many of them are kept (bounded memory on huge files without timestamps). */
const LATE_WINDOW_RUNS = 64;

const REQUEST_ID = /^(.+?)-(?:duplicate-)?\d{10,}-[a-z0-9]+$/;

export interface RunStart {
  readonly sequenceName: string;
  readonly sequenceId: string | null;
  readonly pluginId: string | null;
  readonly requestId: string | null;
  readonly correlationId: string | null;
  readonly priority: string | null;
  readonly t: number | null;
  readonly line: number;
}

/** How a run ended, as its completion line says. */
export interface RunEnd {
  /** The conductor's own run duration, ms, when the line prints one. */
  readonly durationMs?: number | null;
  readonly error?: string | null;
  /** The beat number the failure names. */
  readonly failedBeat?: number | null;
  readonly t: number | null;
  readonly line: number;
}

type RunEvent = Exclude<
  TelemetryEvent,
  {
    kind:
      | 'session-start'
      | 'noise'
      | 'warning'
      | 'error'
      | `plugin-${string}`
      | 'sequence-registered'
      | 'subscribed'
      | 'unsubscribed'
      | 'published'
      | 'play-request'
      | 'correlation'
      | 'execution-hash'
      | 'enqueued'
      | 'dequeued'
      | 'sequence-start'
      | 'sequence-queued'
      | 'request-id'
      | 'sequence-complete'
      | 'sequence-failed'
      | 'sequence-stopped'
      | 'sequence-rejected'
      | 'movement-cleanup';
  }
>;

export class RunTracker implements RunCursor {
  readonly open: RunDraft[] = [];
  private readonly recent: RunDraft[] = [];
  private readonly byRequest = new Map<string, RunDraft>();
  private ordinal = 0;
  private readonly movements: MovementTracker;
  private readonly beats: BeatTracker;
  private readonly attribution: HandlerAttribution;

  constructor(
    private readonly fileId: string,
    private readonly sessionId: string,
    /**
     * The builder's output: emitted runs with their parts, and entities that belong to no run (a late line whose
     * run was already emitted, or none matched). Held as an array, not a callback, so a builder can be forked
     * (ingest/fork-state.ts).
     */
    private readonly out: TraceEntity[],
  ) {
    this.movements = new MovementTracker(fileId, sessionId, this);
    this.beats = new BeatTracker(fileId, sessionId, this);
    this.attribution = new HandlerAttribution(sessionId, out, this);
  }

  start(s: RunStart): RunDraft {
    this.ordinal++;
    const id = `${this.sessionId}:r${this.ordinal}`;
    const run: RunDraft = {
      value: {
        kind: 'sequence-run',
        id,
        sessionId: this.sessionId,
        sequenceName: s.sequenceName,
        sequenceId: s.sequenceId ?? (s.requestId ? (REQUEST_ID.exec(s.requestId)?.[1] ?? null) : null),
        pluginId: s.pluginId,
        requestId: s.requestId,
        correlationId: s.correlationId,
        priority: s.priority,
        status: 'incomplete',
        startMs: s.t,
        endMs: null,
        durationMs: null,
        durationSource: 'none',
        movementCount: 0,
        beatCount: 0,
        error: null,
        span: { fileId: this.fileId, startLine: s.line, endLine: s.line },
      },
      ordinal: this.ordinal,
      movements: [],
      beats: [],
      handlerRuns: [],
      batons: [],
      errors: [],
      open: true,
      closedAtMs: null,
      closedAtLine: 0,
    };
    if (s.requestId) this.byRequest.set(s.requestId, run);
    this.open.push(run);
    return run;
  }

  /** The run lines without a sequence name belong to: the newest open run, or a new implicit one. */
  current(line: number, t: number | null, name?: string): RunDraft {
    if (name !== undefined) {
      const named = findOpenRunByName(this.index(), name);
      if (named) return named;
    }
    const last = this.open[this.open.length - 1];
    if (last) return last;
    // The file starts inside a run (a saved console that begins mid-sequence): an implicit run.
    return this.start({
      sequenceName: name ?? '',
      sequenceId: null,
      pluginId: null,
      requestId: null,
      correlationId: null,
      priority: null,
      t,
      line,
    });
  }

  learnSequenceId(name: string, id: string, pluginId: string | null): void {
    for (const r of this.open) {
      if (r.value.sequenceName === name && r.value.sequenceId === null) r.value.sequenceId = id;
      if (r.value.sequenceName === name && r.value.pluginId === null) r.value.pluginId = pluginId;
    }
  }

  setRequestId(requestId: string): void {
    const run = this.open[this.open.length - 1];
    if (!run || run.value.requestId !== null) return;
    run.value.requestId = requestId;
    run.value.sequenceId ??= REQUEST_ID.exec(requestId)?.[1] ?? null;
    this.byRequest.set(requestId, run);
  }

  endRun(name: string, status: RunStatus, end: RunEnd): void {
    const { durationMs = null, error = null, failedBeat = null, t, line } = end;
    let run = findOpenRunByName(this.index(), name);
    if (!run) {
      const unnamed = this.open.find((r) => r.value.sequenceName === '');
      run = unnamed ?? this.current(line, t, name);
      run.value.sequenceName = name;
    }
    const v = run.value;
    v.status = status;
    v.error = error;
    v.endMs = t;
    v.span.endLine = line;
    if (durationMs !== null) {
      v.durationMs = durationMs;
      v.durationSource = 'beat-executor';
    } else if (t !== null && v.startMs !== null) {
      v.durationMs = t - v.startMs;
      v.durationSource = 'timestamps';
    }
    if (v.startMs === null && t !== null && v.durationMs !== null) v.startMs = Math.round(t - v.durationMs);
    if (failedBeat !== null) {
      const b = latestBeat(run, failedBeat);
      if (b) {
        b.value.status = 'failed';
        b.value.error ??= error;
      }
    }
    for (const b of run.beats) {
      if (!b.open) continue;
      if (b.perfMs !== null) {
        settleTimedBeat(b);
        continue;
      }
      b.open = false;
      if (b.value.status === 'incomplete' && status !== 'completed')
        b.value.status = status === 'failed' ? 'incomplete' : status;
    }
    for (const m of run.movements) if (m.status === 'incomplete' && status !== 'completed') m.status = status;
    run.open = false;
    run.closedAtMs = t;
    run.closedAtLine = line;
    this.open.splice(this.open.indexOf(run), 1);
    this.recent.push(run);
    if (this.recent.length > LATE_WINDOW_RUNS) this.retire(this.recent.shift()!);
  }

  apply(e: RunEvent, line: number, endLine: number, t: number | null): void {
    switch (e.kind) {
      case 'movement-start':
      case 'movement-beats':
      case 'movement-timing':
      case 'movement-complete':
      case 'movement-failed':
        this.movements.apply(e, line, endLine, t);
        return;
      case 'beat-executing':
      case 'beat-start':
      case 'beat-native-start':
      case 'beat-event':
      case 'beat-timer':
      case 'beat-timing':
      case 'beat-complete':
      case 'beat-failed':
      case 'subscriber-timing':
        this.beats.apply(e, line, endLine, t);
        return;
      case 'baton':
        this.attribution.baton(e, line, t);
        return;
      case 'handler-error':
        this.attribution.handlerError(e, line, t);
        return;
      default: {
        // A new run-level event kind must be handled above: this fails typecheck until it is.
        const unhandled: never = e;
        throw new Error(`unhandled run event ${(unhandled as RunEvent).kind}`);
      }
    }
  }

  /** Closed runs whose late window has passed at log time `t` are emitted. */
  flushOlderThan(t: number): void {
    while (this.recent.length > 0) {
      const r = this.recent[0]!;
      if (r.closedAtMs === null || t - r.closedAtMs <= LATE_WINDOW_MS) break;
      this.retire(this.recent.shift()!);
    }
  }

  private retire(run: RunDraft): void {
    if (run.value.requestId) this.byRequest.delete(run.value.requestId);
    finalizeRun(run, null, this.out);
  }

  /** End of session: everything still open is incomplete. */
  closeAll(out: TraceEntity[]): void {
    for (const r of this.recent) finalizeRun(r, null, out);
    for (const r of this.open) {
      for (const b of r.beats) b.open = false;
      finalizeRun(r, 'incomplete', out);
    }
    this.recent.length = 0;
    this.open.length = 0;
    this.beats.reset();
    this.byRequest.clear();
  }

  index() {
    return { open: this.open, recent: this.recent, byRequest: this.byRequest };
  }
}
