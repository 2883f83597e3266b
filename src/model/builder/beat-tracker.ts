/**
 * Beat lifecycle inside the runs of one session: a beat starts (several lines may describe the same
 * start), takes its event, its PerformanceTracker and EventBus timings, completes or fails. Most beat
 * lines name no sequence, so they describe the newest open run (`RunCursor.current`); a timer line that
 * names one moves a stray beat there.
 */
import type { TelemetryEvent } from '../events.js';
import type { BeatDraft, RunDraft } from './drafts.js';
import { closeBeatTiming } from './finalize.js';
import { setHandlerDuration } from './handler-attribution.js';
import { latestBeat, type RunCursor } from './run-lookup.js';

export type BeatEvent = Extract<
  TelemetryEvent,
  {
    kind:
      | 'beat-executing'
      | 'beat-start'
      | 'beat-native-start'
      | 'beat-event'
      | 'beat-timer'
      | 'beat-timing'
      | 'beat-complete'
      | 'beat-failed'
      | 'subscriber-timing';
  }
>;

/** What a line says about a beat as it starts or is first seen; absent fields are unknown. */
interface BeatSeen {
  readonly beat: number;
  readonly position?: number | null;
  readonly title?: string | null;
  readonly event?: string | null;
  readonly line: number;
  readonly t: number | null;
}

export class BeatTracker {
  /** The beat started last, in whichever run: group children such as `🎯 Event:` describe it. */
  private lastBeat: BeatDraft | undefined;

  constructor(
    private readonly fileId: string,
    private readonly sessionId: string,
    private readonly runs: RunCursor,
  ) {}

  /** `line`/`endLine`: 1-based first and last line of the event; `t`: its log time, ms since epoch. */
  apply(e: BeatEvent, line: number, endLine: number, t: number | null): void {
    switch (e.kind) {
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
        const run = this.runs.current(line, t, e.sequence);
        if (run.value.sequenceName === '') run.value.sequenceName = e.sequence;
        this.claimStrayBeat(run, e.beat);
        return;
      }
      case 'beat-timing': {
        // A capture that starts inside a beat: its timing line is the first we see of it.
        const b = this.openBeat(e.beat) ?? this.newBeat(this.runs.current(line, t), { beat: e.beat, line, t: null });
        b.perfMs = e.durationMs;
        return;
      }
      case 'beat-complete': {
        const run = this.runs.current(line, t);
        const b =
          latestBeat(run, e.beat, e.event, true) ?? this.newBeat(run, { beat: e.beat, event: e.event, line, t: null });
        b.value.event ??= e.event;
        b.value.status = 'completed';
        closeBeatTiming(b, e.durationMs, t, endLine);
        return;
      }
      case 'beat-failed': {
        const run = this.runs.current(line, t);
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
      default: {
        const unhandled: never = e;
        throw new Error(`unhandled beat event ${(unhandled as BeatEvent).kind}`);
      }
    }
  }

  /** The session ended: no beat is current any more. */
  reset(): void {
    this.lastBeat = undefined;
  }

  private beatStart(seen: BeatSeen): void {
    const { beat, position = null, title = null, event = null, line, t } = seen;
    // The beat's own run (moved there by its timer line) before the newest open one.
    const lb = this.lastBeat;
    const owner =
      lb?.open && lb.value.beat === beat
        ? this.runs.open.find((r) => r.value.id === lb.value.sequenceRunId)
        : undefined;
    const run = owner ?? this.runs.current(line, t);
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
        batonUnchanged: 0,
        batonSettledMs: null,
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
    const newest = this.runs.open[this.runs.open.length - 1];
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
    const run = this.runs.open[this.runs.open.length - 1];
    if (!run) return undefined;
    if (beat === undefined) {
      const last = run.beats[run.beats.length - 1];
      return last?.open ? last : undefined;
    }
    return latestBeat(run, beat, null, true);
  }
}

/** A beat whose PerformanceTracker line was its last word: completed, with that duration. */
export function settleTimedBeat(b: BeatDraft): void {
  b.value.status = 'completed';
  const end = b.value.startMs !== null && b.perfMs !== null ? Math.round(b.value.startMs + b.perfMs) : null;
  closeBeatTiming(b, null, end, b.value.span.endLine);
}
