/**
 * Which beat a handler execution belongs to, and how long it took. Handler-level DataBaton lines and
 * `Handler execution failed` lines name a handler but no beat; they settle in beat order on the request's
 * promise chain (docs/log-formats.md §1 "ordering caveats", §7), often after their beat or sequence completed.
 */
import type { DurationSource, TraceEntity } from '../entities.js';
import { isUnchangedBaton, type TelemetryEvent } from '../events.js';
import type { BeatDraft, RunDraft } from './drafts.js';
import {
  findBeatForHandler,
  findOpenRunByName,
  findRunByPlugin,
  findRunForBaton,
  firstBeatWithoutHandler,
  latestBeat,
  type RunIndex,
} from './run-lookup.js';

/** One handler execution to record: the run and beat it was linked to (if any) and what its line says. */
interface HandlerRunInput {
  readonly run: RunDraft | undefined;
  readonly beat: BeatDraft | undefined;
  readonly handler: string;
  readonly pluginId: string | null;
  readonly event: string;
  readonly sequenceName: string | null;
  readonly requestId: string | null;
  readonly status: 'ok' | 'error';
  /** 1-based line of the settle (or error) line. */
  readonly line: number;
  /** Log time of that line, ms since epoch; null without timestamps. */
  readonly t: number | null;
}

export class HandlerAttribution {
  constructor(
    private readonly sessionId: string,
    /** Where entities that belong to no run go (the builder's output). */
    private readonly orphans: TraceEntity[],
    private readonly runs: { index(): RunIndex },
  ) {}

  baton(e: Extract<TelemetryEvent, { kind: 'baton' }>, line: number, t: number | null): void {
    const index = this.runs.index();
    let run: RunDraft | undefined;
    let beat: BeatDraft | undefined;
    if (e.level === 'beat') {
      run = findOpenRunByName(index, e.sequence) ?? index.open[index.open.length - 1];
      beat = run && e.beat !== undefined ? latestBeat(run, e.beat, e.event) : undefined;
      // A beat-level line says only that the beat settled (it always reads `No changes`): folded into its beat.
      if (beat && isUnchangedBaton(e)) {
        beat.value.batonUnchanged++;
        beat.value.batonSettledMs = t ?? beat.value.batonSettledMs;
        return;
      }
    } else {
      run = findRunForBaton(index, e.requestId, e.sequence, e.event);
      beat = run ? findBeatForHandler(run, e.event, e.handler!) : undefined;
    }
    const holder = run?.batons ?? null;
    const diff = {
      kind: 'baton-diff' as const,
      id: `${this.sessionId}:d${line}`,
      sessionId: this.sessionId,
      level: e.level,
      change: e.change,
      preview: e.preview ?? null,
      handler: e.handler ?? null,
      pluginId: e.pluginId ?? null,
      requestId: e.requestId ?? null,
      event: e.event,
      sequenceName: e.sequence,
      beat: e.beat ?? beat?.value.beat ?? null,
      beatRunId: beat?.value.id ?? null,
      sequenceRunId: run?.value.id ?? null,
      timeMs: t,
      line,
    };
    if (holder) holder.push(diff);
    else this.orphans.push(diff);
    if (e.level === 'handler') {
      this.handlerRun({
        run,
        beat,
        handler: e.handler!,
        // `plugin=` is printed only when the handler changed the baton: otherwise the beat's plugin is the handler's.
        pluginId: e.pluginId ?? beat?.value.pluginId ?? run?.value.pluginId ?? null,
        event: e.event,
        sequenceName: e.sequence,
        requestId: e.requestId ?? null,
        status: 'ok',
        line,
        t,
      });
    }
  }

  handlerError(e: Extract<TelemetryEvent, { kind: 'handler-error' }>, line: number, t: number | null): void {
    const run = findRunByPlugin(this.runs.index(), e.pluginId);
    const beat = run ? firstBeatWithoutHandler(run) : undefined;
    const error = {
      kind: 'handler-error' as const,
      id: `${this.sessionId}:e${line}`,
      sessionId: this.sessionId,
      pluginId: e.pluginId,
      handler: e.handler,
      message: e.message,
      stack: e.stack,
      beatRunId: beat?.value.id ?? null,
      sequenceRunId: run?.value.id ?? null,
      beatStillCompleted: false,
      timeMs: t,
      line,
      beat: beat ?? null,
    };
    if (run) run.errors.push(error);
    else {
      const { beat: _unused, ...rest } = error;
      this.orphans.push(rest);
    }
    if (beat && !beat.value.error) beat.value.error = `${e.handler}: ${e.message}`;
    this.handlerRun({
      run,
      beat,
      handler: e.handler,
      pluginId: e.pluginId,
      event: beat?.value.event ?? '',
      sequenceName: run?.value.sequenceName ?? null,
      requestId: run?.value.requestId ?? null,
      status: 'error',
      line,
      t,
    });
  }

  private handlerRun(o: HandlerRunInput) {
    const { run, beat, handler, pluginId, event, sequenceName, requestId, status, line, t } = o;
    const h = {
      kind: 'handler-run' as const,
      id: `${this.sessionId}:h${line}`,
      sessionId: this.sessionId,
      handler,
      pluginId,
      event,
      sequenceName,
      requestId,
      beatRunId: beat?.value.id ?? null,
      sequenceRunId: run?.value.id ?? null,
      status,
      settledMs: t,
      durationMs: null as number | null,
      durationSource: 'none' as DurationSource,
      settledAfterBeat: beat !== undefined && !beat.open,
      line,
    };
    if (beat) {
      const precise = beat.pendingSubscriberMs.shift();
      if (precise !== undefined) setHandlerDuration(h, precise, 'eventbus-trace');
      else if (t !== null && beat.value.startMs !== null) {
        // Handler/settle time (docs/reports.md "handler time"): beat start → settle line, in ms. Handlers of one request run on a
        // promise chain, so this is an upper bound of the handler's own time, never a share of its beat.
        setHandlerDuration(h, Math.max(0, t - beat.value.startMs), 'timestamps');
      }
      beat.handlerRuns.push(h);
      if (beat.value.pluginId === null) beat.value.pluginId = pluginId;
    }
    if (run) run.handlerRuns.push(h);
    else this.orphans.push(h);
  }
}

export function setHandlerDuration(
  h: { durationMs: number | null; durationSource: DurationSource },
  ms: number,
  source: DurationSource,
): void {
  h.durationMs = ms;
  h.durationSource = source;
}
