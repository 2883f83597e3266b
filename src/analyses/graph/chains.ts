/**
 * Which sequence run started which. A handler that calls `conductor.play()` enqueues the next run while its own
 * beat is executing; the queue runs it after the current run ends. The log keeps no enqueue line in the trace
 * model, but the request id does: `<seqId>-<epochMs>-<random>`, whose epoch ms is the enqueue time
 * (docs/log-formats.md, request ids). So run B chains from run A when B was enqueued within one of A's beats
 * (beat start < t ≤ beat end, same session). Plays the app starts outside beats (at start-up, from the UI) are
 * enqueued between beats and chain from nothing. The start is strict because times are whole ms: a UI play
 * enqueued just before a beat starts often shares its millisecond, while a handler runs at least a tick after its
 * beat's start line. A UI play landing inside a long async beat is still taken for a chain (a known limit). Ties (one enqueue inside beats of two runs) go to the beat that
 * started last, the innermost.
 */
import type { BeatRun, SequenceRun } from '../../model/index.js';

export interface Chain {
  readonly parent: SequenceRun;
  readonly child: SequenceRun;
}

/** The enqueue time (epoch ms) a request id carries, or null for ids of another shape. */
export function requestEpochMs(requestId: string | null): number | null {
  const m = requestId === null ? null : /-(\d{13})-[a-z0-9]+$/i.exec(requestId);
  return m ? Number(m[1]) : null;
}

export function findChains(runs: readonly SequenceRun[], beats: readonly BeatRun[]): Chain[] {
  const runById = new Map(runs.map((r) => [r.id, r]));
  const beatsBySession = new Map<string, TimedBeat[]>();
  for (const b of beats) {
    if (b.startMs === null || b.endMs === null || b.sequenceRunId === null) continue;
    const list = beatsBySession.get(b.sessionId) ?? [];
    list.push({ start: b.startMs, end: b.endMs, line: b.span.startLine, runId: b.sequenceRunId, reach: 0 });
    beatsBySession.set(b.sessionId, list);
  }
  // Beats by (start, line); `reach`: the latest end among a beat and every beat before it, so the backward
  // search from a time stops where no earlier beat can still be open (linear in the beats that enclose it).
  for (const list of beatsBySession.values()) {
    list.sort((a, b) => a.start - b.start || a.line - b.line);
    let reach = Number.NEGATIVE_INFINITY;
    for (const b of list) reach = b.reach = Math.max(reach, b.end);
  }
  const chains: Chain[] = [];
  for (const child of runs) {
    const t = requestEpochMs(child.requestId);
    if (t === null) continue;
    const list = beatsBySession.get(child.sessionId) ?? [];
    let lo = 0;
    let hi = list.length; // first beat starting at or after t
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.start < t) lo = mid + 1;
      else hi = mid;
    }
    let best: TimedBeat | undefined;
    for (let i = lo - 1; i >= 0 && list[i]!.reach >= t; i--) {
      const b = list[i]!;
      if (b.end >= t && b.runId !== child.id) {
        best = b;
        break;
      }
    }
    const parent = best ? runById.get(best.runId) : undefined;
    // A run enqueued before its parent started cannot have been started by it.
    if (parent && parent.id !== child.id) chains.push({ parent, child });
  }
  return chains;
}

/** A beat with both times, as the chain search reads it. */
interface TimedBeat {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly runId: string;
  reach: number;
}
