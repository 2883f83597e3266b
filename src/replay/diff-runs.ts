/**
 * Compares a captured run with its replay, structure only: beats and their order, handlers run per beat, the
 * DataBaton keys each handler added/changed/removed, error signatures, beat and run status. Times never make a
 * difference (a replay runs on another machine); they are listed side by side. Beats pair by event, in order of
 * occurrence, so a beat added to or dropped from the sequence shows as itself, not as a shift of every later beat.
 */
import type { BeatShape, HandlerShape, RunShape } from './run-shape.js';

export type ReplayDiffKind =
  | 'beat-missing'
  | 'beat-added'
  | 'beat-order'
  | 'handler-missing'
  | 'handler-added'
  | 'baton'
  | 'error'
  | 'beat-status'
  | 'run-status'
  | 'sequence-missing';

export interface ReplayDiff {
  readonly kind: ReplayDiffKind;
  readonly beat: number | null;
  readonly event: string | null;
  readonly handler: string | null;
  readonly captured: unknown;
  readonly replayed: unknown;
  /** Set on a difference of a handler replay ran as a no-op (replay.ts): not a difference of the app. */
  readonly stubbed?: true;
}

export interface Timing {
  /** null for the whole run. */
  readonly beat: number | null;
  readonly event: string | null;
  readonly capturedMs: number | null;
  readonly replayedMs: number | null;
}

export function diffRuns(captured: RunShape, replayed: RunShape): { diffs: ReplayDiff[]; timings: Timing[] } {
  const diffs: ReplayDiff[] = [];
  const timings: Timing[] = [
    { beat: null, event: null, capturedMs: captured.run.durationMs, replayedMs: replayed.run.durationMs },
  ];
  if (captured.run.status !== replayed.run.status) {
    diffs.push(diff('run-status', null, null, null, captured.run.status, replayed.run.status));
  }
  const pairs = pairBeats(captured.beats, replayed.beats);
  for (const beat of captured.beats) {
    if (!pairs.has(beat)) diffs.push(diff('beat-missing', beat.beat, beat.event, null, handlerNames(beat), null));
  }
  const paired = new Set(pairs.values());
  for (const beat of replayed.beats) {
    if (!paired.has(beat)) diffs.push(diff('beat-added', beat.beat, beat.event, null, null, handlerNames(beat)));
  }
  const capturedOrder = captured.beats.filter((b) => pairs.has(b)).map((b) => b.event);
  const replayedOrder = replayed.beats.filter((b) => paired.has(b)).map((b) => b.event);
  if (capturedOrder.join('\n') !== replayedOrder.join('\n')) {
    diffs.push(diff('beat-order', null, null, null, capturedOrder, replayedOrder));
  }
  for (const [c, r] of pairs) {
    timings.push({ beat: c.beat, event: c.event, capturedMs: c.durationMs, replayedMs: r.durationMs });
    diffs.push(...diffBeat(c, r));
  }
  return { diffs, timings };
}

/** Captured beat → replayed beat with the same event, the n-th occurrence with the n-th. */
function pairBeats(captured: readonly BeatShape[], replayed: readonly BeatShape[]): Map<BeatShape, BeatShape> {
  const pairs = new Map<BeatShape, BeatShape>();
  const used = new Set<BeatShape>();
  for (const c of captured) {
    const r = replayed.find((b) => b.event === c.event && !used.has(b));
    if (!r) continue;
    used.add(r);
    pairs.set(c, r);
  }
  return pairs;
}

function diffBeat(c: BeatShape, r: BeatShape): ReplayDiff[] {
  const out: ReplayDiff[] = [];
  if (c.status !== r.status) out.push(diff('beat-status', c.beat, c.event, null, c.status, r.status));
  const replayedBy = new Map(r.handlers.map((h) => [h.handler, h]));
  const capturedNames = new Set(c.handlers.map((h) => h.handler));
  for (const h of c.handlers) {
    const other = replayedBy.get(h.handler);
    if (!other) {
      out.push(diff('handler-missing', c.beat, c.event, h.handler, keysOf(h), null));
      continue;
    }
    if (!sameKeys(h, other)) out.push(diff('baton', c.beat, c.event, h.handler, keysOf(h), keysOf(other)));
    if (h.error !== other.error) out.push(diff('error', c.beat, c.event, h.handler, h.error, other.error));
  }
  for (const h of r.handlers) {
    if (!capturedNames.has(h.handler)) out.push(diff('handler-added', c.beat, c.event, h.handler, null, keysOf(h)));
  }
  return out;
}

function keysOf(h: HandlerShape): { added: readonly string[]; updated: readonly string[]; removed: readonly string[] } {
  return { added: h.added, updated: h.updated, removed: h.removed };
}

function sameKeys(a: HandlerShape, b: HandlerShape): boolean {
  return (
    a.added.join() === b.added.join() && a.updated.join() === b.updated.join() && a.removed.join() === b.removed.join()
  );
}

function handlerNames(beat: BeatShape): string[] {
  return beat.handlers.map((h) => h.handler);
}

function diff(
  kind: ReplayDiffKind,
  beat: number | null,
  event: string | null,
  handler: string | null,
  captured: unknown,
  replayed: unknown,
): ReplayDiff {
  return { kind, beat, event, handler, captured, replayed };
}
