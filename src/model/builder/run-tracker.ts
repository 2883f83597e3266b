/**
 * Open and recently closed sequence runs of one session, and the run-level events: movements, beats,
 * DataBaton diffs, handler runs and handler errors.
 *
 * The JS conductor executes one sequence at a time from its queue, but lines of async handlers and of
 * runs started from other plays interleave, so the "current" run is the most recently started open one
 * and late lines are matched by request id / sequence name / event (run-lookup.ts).
 */
import type { RunStatus, TraceEntity } from '../entities.js';
import type { TelemetryEvent } from '../events.js';
import type { BeatDraft, RunDraft } from './drafts.js';
import { closeBeatTiming, finalizeRun } from './finalize.js';
import { HandlerAttribution, setHandlerDuration } from './handler-attribution.js';
import { findOpenRunByName, latestBeat } from './run-lookup.js';

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

/** What a line says about a beat as it starts or is first seen; absent fields are unknown. */
interface BeatSeen {
  readonly beat: number;
  readonly position?: number | null;
  readonly title?: string | null;
  readonly event?: string | null;
  readonly line: number;
  readonly t: number | null;
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

export class RunTracker {
  private readonly open: RunDraft[] = [];
  private readonly recent: RunDraft[] = [];
  private readonly byRequest = new Map<string, RunDraft>();
  private ordinal = 0;
  /** The beat started last, in whichever run: group children such as `🎯 Event:` describe it. */
  private lastBeat: BeatDraft | undefined;
  private readonly attribution: HandlerAttribution;

  constructor(
    private readonly fileId: string,
    private readonly sessionId: string,
    private readonly emit: (run: RunDraft) => void,
    /** Entities that belong to no run (a late line whose run was already emitted, or none matched). */
    emitOrphan: (entity: TraceEntity) => void,
  ) {
    this.attribution = new HandlerAttribution(sessionId, emitOrphan, () => this.index());
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
  private current(line: number, t: number | null, name?: string): RunDraft {
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
        this.movement(
          e.name,
          e.kind === 'movement-start' ? e : null,
          e.kind === 'movement-beats' ? e.beats : null,
          line,
          t,
        );
        return;
      case 'movement-timing': {
        const m = this.findMovement(e.name) ?? this.movementStartedBeforeFile(e.name, line, t);
        if (m) {
          m.durationMs = e.durationMs;
          m.durationSource = 'performance-tracker';
        }
        return;
      }
      case 'movement-complete':
      case 'movement-failed': {
        const m = this.findMovement(e.name) ?? this.movementStartedBeforeFile(e.name, line, t);
        if (!m) return;
        m.status = e.kind === 'movement-complete' ? 'completed' : 'failed';
        m.endMs = t;
        m.span.endLine = endLine;
        if (m.startMs !== null && t !== null && m.durationMs === null) {
          m.durationMs = t - m.startMs;
          m.durationSource = 'timestamps';
        }
        return;
      }
      case 'beat-executing':
        this.beatStart({ beat: e.beat, position: e.index, line, t });
        return;
      case 'beat-start':
        this.beatStart({ beat: e.beat, title: e.title, event: e.event, line, t });
        return;
      case 'beat-native-start':
        this.beatStart({ beat: e.beat, event: e.beatId, line, t });
        return;
      case 'beat-event': {
        // `🎯 Event:` follows the beat's `Executing beat` line: the open beat takes its event now, so handler
        // lines that settle before the `BeatExecutor … completed` line find it by event.
        const b = this.lastBeat;
        if (b?.open && b.value.event === null) b.value.event = e.event;
        return;
      }
      case 'beat-timer': {
        const run = this.current(line, t, e.sequence);
        if (run.value.sequenceName === '') run.value.sequenceName = e.sequence;
        this.claimStrayBeat(run, e.beat);
        return;
      }
      case 'beat-timing': {
        // A capture that starts inside a beat: its timing line is the first we see of it.
        const b = this.openBeat(e.beat) ?? this.newBeat(this.current(line, t), { beat: e.beat, line, t: null });
        b.perfMs = e.durationMs;
        return;
      }
      case 'beat-complete': {
        const run = this.current(line, t);
        const b =
          latestBeat(run, e.beat, e.event, true) ?? this.newBeat(run, { beat: e.beat, event: e.event, line, t: null });
        b.value.event ??= e.event;
        b.value.status = 'completed';
        closeBeatTiming(b, e.durationMs, t, endLine);
        return;
      }
      case 'beat-failed': {
        const run = this.current(line, t);
        const b =
          latestBeat(run, e.beat, e.event ?? null) ??
          this.newBeat(run, { beat: e.beat, event: e.event ?? null, line, t });
        b.value.status = 'failed';
        b.value.error = e.error ?? null;
        closeBeatTiming(b, null, t, endLine);
        return;
      }
      case 'subscriber-timing': {
        const b = this.openBeat();
        if (!b) return;
        const h = b.handlerRuns.find((x) => x.durationSource !== 'eventbus-trace');
        if (h) setHandlerDuration(h, e.durationMs, 'eventbus-trace');
        else b.pendingSubscriberMs.push(e.durationMs);
        return;
      }
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

  private movement(
    name: string,
    start: { index?: number; total?: number } | null,
    declaredBeats: number | null,
    line: number,
    t: number | null,
  ): void {
    const run = this.current(line, t);
    const last = run.movements[run.movements.length - 1];
    if (declaredBeats !== null && last && last.name === name && last.declaredBeats === null) {
      last.declaredBeats = declaredBeats;
      return;
    }
    run.movements.push({
      kind: 'movement-run',
      id: `${run.value.id}:m${run.movements.length + 1}`,
      sequenceRunId: run.value.id,
      sessionId: this.sessionId,
      name,
      index: start?.index ?? run.movements.length + 1,
      total: start?.total ?? null,
      declaredBeats,
      status: 'incomplete',
      startMs: t,
      endMs: null,
      durationMs: null,
      durationSource: 'none',
      span: { fileId: this.fileId, startLine: line, endLine: line },
    });
  }

  /**
   * A movement whose end is seen but not its start: the file begins inside it (a console saved mid-run). It is
   * kept with an unknown start (null, never estimated) so its count and conductor-reported duration survive.
   */
  private movementStartedBeforeFile(name: string | undefined, line: number, t: number | null) {
    if (name === undefined) return undefined;
    const run = this.current(line, t);
    if (run.movements.length > 0) return undefined;
    this.movement(name, null, null, line, null);
    return run.movements[run.movements.length - 1];
  }

  private findMovement(name: string | undefined) {
    const run = this.open[this.open.length - 1];
    if (!run) return undefined;
    for (let i = run.movements.length - 1; i >= 0; i--) {
      const m = run.movements[i]!;
      if (name === undefined || m.name === name) return m;
    }
    return undefined;
  }

  private beatStart(seen: BeatSeen): void {
    const { beat, position = null, title = null, event = null, line, t } = seen;
    // The beat's own run (moved there by its timer line) before the newest open one.
    const lb = this.lastBeat;
    const owner =
      lb?.open && lb.value.beat === beat ? this.open.find((r) => r.value.id === lb.value.sequenceRunId) : undefined;
    const run = owner ?? this.current(line, t);
    const last = run.beats[run.beats.length - 1];
    // Older conductors print no BeatExecutor line: the PerformanceTracker timing is the beat's end.
    if (last?.open && last.perfMs !== null && (last.value.beat !== beat || last.value.event !== null))
      settleTimedBeat(last);
    // `Executing beat n (i/k)` then `Beat n Started: …` describe the same beat; captures may repeat a line.
    if (
      last?.open &&
      last.value.beat === beat &&
      (last.value.event === null || last.value.event === event || event === null)
    ) {
      if (position !== null) last.value.position ??= position;
      last.value.title ??= title;
      last.value.event ??= event;
      if (last.value.startMs === null) last.value.startMs = t;
      return;
    }
    this.newBeat(run, seen);
  }

  private newBeat(run: RunDraft, seen: BeatSeen): BeatDraft {
    const { beat, position = null, title = null, event = null, line, t } = seen;
    const movement = run.movements[run.movements.length - 1];
    const b: BeatDraft = {
      value: {
        kind: 'beat-run',
        id: `${run.value.id}:b${run.beats.length + 1}`,
        sequenceRunId: run.value.id,
        movementRunId: movement?.id ?? null,
        sessionId: this.sessionId,
        sequenceName: run.value.sequenceName || null,
        beat,
        position,
        event,
        title,
        handlers: [],
        pluginId: run.value.pluginId,
        status: 'incomplete',
        startMs: t,
        endMs: null,
        durationMs: null,
        durationSource: 'none',
        error: null,
        span: { fileId: this.fileId, startLine: line, endLine: line },
      },
      perfMs: null,
      handlerRuns: [],
      pendingSubscriberMs: [],
      open: true,
    };
    run.beats.push(b);
    this.lastBeat = b;
    return b;
  }

  /**
   * With several runs open, `Executing beat n` (which names no sequence) went to the newest open run; the
   * `Started timing beat n for <sequence>` line that follows names the right one. The beat moves there while
   * nothing has been attached to it yet.
   */
  private claimStrayBeat(run: RunDraft, beat: number): void {
    if (latestBeat(run, beat, null, true)) return;
    const newest = this.open[this.open.length - 1];
    if (!newest || newest === run) return;
    const stray = newest.beats[newest.beats.length - 1];
    if (!stray?.open || stray.value.beat !== beat || stray.handlerRuns.length > 0 || stray.perfMs !== null) return;
    newest.beats.pop();
    const v = stray.value;
    this.newBeat(run, {
      beat,
      position: v.position,
      title: v.title,
      event: v.event,
      line: v.span.startLine,
      t: v.startMs,
    });
  }

  private openBeat(beat?: number): BeatDraft | undefined {
    const run = this.open[this.open.length - 1];
    if (!run) return undefined;
    if (beat === undefined) {
      const last = run.beats[run.beats.length - 1];
      return last?.open ? last : undefined;
    }
    return latestBeat(run, beat, null, true);
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
    this.emit(run);
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
    this.lastBeat = undefined;
    this.byRequest.clear();
  }

  private index() {
    return { open: this.open, recent: this.recent, byRequest: this.byRequest };
  }
}

/** A beat whose PerformanceTracker line was its last word: completed, with that duration. */
function settleTimedBeat(b: BeatDraft): void {
  b.value.status = 'completed';
  const end = b.value.startMs !== null && b.perfMs !== null ? Math.round(b.value.startMs + b.perfMs) : null;
  closeBeatTiming(b, null, end, b.value.span.endLine);
}
