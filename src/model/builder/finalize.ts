/**
 * Turning drafts into finished entities when a run or session closes.
 */
import type { RunStatus, TraceEntity } from '../entities.js';
import type { RunDraft } from './drafts.js';

/** Emits a closed run with everything hanging off it, in a stable order. */
export function finalizeRun(run: RunDraft, endStatus: RunStatus | null, out: TraceEntity[]): void {
  const v = run.value;
  if (endStatus !== null && v.status === 'incomplete') v.status = endStatus;
  for (const m of run.movements) {
    if (m.status === 'incomplete' && v.status === 'completed') m.status = 'completed';
    if (m.endMs === null && m.startMs !== null && m.durationMs !== null) m.endMs = Math.round(m.startMs + m.durationMs);
    out.push(m);
  }
  for (const b of run.beats) {
    const bv = b.value;
    bv.handlers = [...new Set(b.handlerRuns.map((h) => h.handler))];
    // A capture that starts inside a run names it only later (a timer or completion line): its earlier beats
    // take the name the run ended with.
    if (bv.sequenceName === null && v.sequenceName !== '') bv.sequenceName = v.sequenceName;
    out.push(bv);
  }
  v.movementCount = run.movements.length;
  v.beatCount = run.beats.length;
  out.push(v);
  for (const h of run.handlerRuns) out.push(h);
  for (const d of run.batons) out.push(d);
  for (const e of run.errors) {
    const { beat, ...error } = e;
    error.beatStillCompleted = beat !== null && beat.value.status === 'completed';
    out.push(error);
  }
}

/** Beat durations: PerformanceTracker's 2-decimal ms beats BeatExecutor's integer ms beats timestamps. */
export function closeBeatTiming(
  b: RunDraft['beats'][number],
  executorMs: number | null,
  endMs: number | null,
  endLine: number,
): void {
  const v = b.value;
  if (b.perfMs !== null) {
    v.durationMs = b.perfMs;
    v.durationSource = 'performance-tracker';
  } else if (executorMs !== null) {
    v.durationMs = executorMs;
    v.durationSource = 'beat-executor';
  } else if (endMs !== null && v.startMs !== null) {
    v.durationMs = endMs - v.startMs;
    v.durationSource = 'timestamps';
  }
  v.endMs = endMs ?? v.endMs;
  if (v.startMs === null && v.endMs !== null && v.durationMs !== null) v.startMs = Math.round(v.endMs - v.durationMs);
  v.span.endLine = Math.max(v.span.endLine, endLine);
  b.open = false;
}
