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

/** One session's dated beats sorted by start, with the latest end among each prefix (to stop a backward scan). */
interface SessionBeats {
  readonly beats: readonly BeatRun[];
  /** `starts[i]` = `beats[i].startMs`, epoch ms. */
  readonly starts: Float64Array;
  /** `reach[i]`: the latest `endMs` of `beats[0..i]`: no beat at or before i contains a time after it. */
  readonly reach: Float64Array;
}

function sessionBeats(beats: readonly BeatRun[]): Map<string, SessionBeats> {
  const bySession = new Map<string, { beat: BeatRun; index: number }[]>();
  for (const [index, b] of beats.entries()) {
    if (b.startMs === null || b.endMs === null || b.sequenceRunId === null) continue;
    const list = bySession.get(b.sessionId);
    if (list) list.push({ beat: b, index });
    else bySession.set(b.sessionId, [{ beat: b, index }]);
  }
  const out = new Map<string, SessionBeats>();
  for (const [session, list] of bySession) {
    // By (start, start line) ascending, then input order descending, so a backward scan meets the tie that
    // comes first in the input first: the one the innermost-beat rule picks.
    list.sort(
      (a, b) => a.beat.startMs! - b.beat.startMs! || a.beat.span.startLine - b.beat.span.startLine || b.index - a.index,
    );
    const starts = new Float64Array(list.length);
    const reach = new Float64Array(list.length);
    let latest = Number.NEGATIVE_INFINITY;
    for (const [i, { beat }] of list.entries()) {
      starts[i] = beat.startMs!;
      latest = Math.max(latest, beat.endMs!);
      reach[i] = latest;
    }
    out.set(session, { beats: list.map((e) => e.beat), starts, reach });
  }
  return out;
}

/** Index of the last start < t (-1 when none). */
function lastBefore(starts: Float64Array, t: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * The innermost beat of another run containing each child's enqueue time: beats sorted by start once per session,
 * then for each child a binary search and a backward scan that stops where no earlier beat reaches `t`, so a
 * window of n beats costs O(n log n) in practice (the scan of every beat for every run was 40 s at 50,000 beats).
 */
export function findChains(runs: readonly SequenceRun[], beats: readonly BeatRun[]): Chain[] {
  const runById = new Map(runs.map((r) => [r.id, r]));
  const bySession = sessionBeats(beats);
  const chains: Chain[] = [];
  for (const child of runs) {
    const t = requestEpochMs(child.requestId);
    if (t === null) continue;
    const session = bySession.get(child.sessionId);
    if (session === undefined) continue;
    let best: BeatRun | undefined;
    for (let i = lastBefore(session.starts, t); i >= 0 && session.reach[i]! >= t; i--) {
      const b = session.beats[i]!;
      if (b.sequenceRunId === child.id || b.endMs! < t) continue;
      best = b;
      break;
    }
    const parent = best ? runById.get(best.sequenceRunId!) : undefined;
    // A run enqueued before its parent started cannot have been started by it.
    if (parent && parent.id !== child.id) chains.push({ parent, child });
  }
  return chains;
}
