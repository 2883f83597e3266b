/**
 * Movement lifecycle inside the runs of one session: a movement starts (or declares its beat count), gets
 * its PerformanceTracker duration, completes or fails. Movement lines name no sequence, so they describe
 * the newest open run (`RunCursor.current`).
 */
import type { TelemetryEvent } from '../events.js';
import type { RunCursor } from './run-lookup.js';

export type MovementEvent = Extract<
  TelemetryEvent,
  { kind: 'movement-start' | 'movement-beats' | 'movement-timing' | 'movement-complete' | 'movement-failed' }
>;

export class MovementTracker {
  constructor(
    private readonly fileId: string,
    private readonly sessionId: string,
    private readonly runs: RunCursor,
  ) {}

  /** `line`/`endLine`: 1-based first and last line of the event; `t`: its log time, ms since epoch. */
  apply(e: MovementEvent, line: number, endLine: number, t: number | null): void {
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
      default: {
        const unhandled: never = e;
        throw new Error(`unhandled movement event ${(unhandled as MovementEvent).kind}`);
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
    const run = this.runs.current(line, t);
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
    const run = this.runs.current(line, t);
    if (run.movements.length > 0) return undefined;
    this.movement(name, null, null, line, null);
    return run.movements[run.movements.length - 1];
  }

  private findMovement(name: string | undefined) {
    const run = this.runs.open[this.runs.open.length - 1];
    if (!run) return undefined;
    for (let i = run.movements.length - 1; i >= 0; i--) {
      const m = run.movements[i]!;
      if (name === undefined || m.name === name) return m;
    }
    return undefined;
  }
}
