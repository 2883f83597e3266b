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
import { InnermostIndex } from '../innermost-index.js';

export interface Chain {
  readonly parent: SequenceRun;
  readonly child: SequenceRun;
}

/** The enqueue time (epoch ms) a request id carries, or null for ids of another shape. */
export function requestEpochMs(requestId: string | null): number | null {
  const m = requestId === null ? null : /-(\d{13})-[a-z0-9]+$/i.exec(requestId);
  return m ? Number(m[1]) : null;
}

/**
 * The innermost beat of another run containing each child's enqueue time (innermost-index.ts: the scan of every
 * beat for every run was 40 s at 50,000 beats).
 */
export function findChains(runs: readonly SequenceRun[], beats: readonly BeatRun[]): Chain[] {
  // Built at the first run whose request id carries a time: logs whose ids carry none skip indexing every beat.
  let runById: Map<string, SequenceRun> | undefined;
  let index: InnermostIndex<BeatRun> | undefined;
  const chains: Chain[] = [];
  for (const child of runs) {
    const t = requestEpochMs(child.requestId);
    if (t === null) continue;
    runById ??= new Map(runs.map((r) => [r.id, r]));
    index ??= new InnermostIndex(
      beats.filter((b) => b.startMs !== null && b.endMs !== null && b.sequenceRunId !== null),
      {
        group: (b) => b.sessionId,
        start: (b) => b.startMs!,
        end: (b) => b.endMs!,
        tie: (b) => b.span.startLine,
      },
    );
    const best = index.find(child.sessionId, t, { strictStart: true, accept: (b) => b.sequenceRunId !== child.id });
    const parent = best ? runById.get(best.sequenceRunId!) : undefined;
    // A run enqueued before its parent started cannot have been started by it.
    if (parent && parent.id !== child.id) chains.push({ parent, child });
  }
  return chains;
}
