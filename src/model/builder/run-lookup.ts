/**
 * Finding the run and beat a late or context-free line belongs to. Handler-level lines run on a
 * per-request promise chain (docs/log-formats.md §1 "ordering caveats", §7): they settle in beat order,
 * possibly after the sequence completed, so they are matched on request id + event, else sequence
 * name + event, else event alone, searching open runs and recently closed ones, newest first.
 */
import type { BeatDraft, RunDraft } from './drafts.js';

export function findBeatForHandler(run: RunDraft, event: string | null, handler: string): BeatDraft | undefined {
  let fallback: BeatDraft | undefined;
  for (const b of run.beats) {
    if (event !== null && b.value.event !== event) continue;
    if (!b.handlerRuns.some((h) => h.handler === handler)) return b;
    fallback = b;
  }
  return fallback;
}

/** The first beat of a run with no handler settled yet: where a handler error with no event belongs. */
export function firstBeatWithoutHandler(run: RunDraft): BeatDraft | undefined {
  return run.beats.find((b) => b.handlerRuns.length === 0) ?? run.beats[run.beats.length - 1];
}

export function latestBeat(
  run: RunDraft,
  beat: number,
  event?: string | null,
  openOnly = false,
): BeatDraft | undefined {
  for (let i = run.beats.length - 1; i >= 0; i--) {
    const b = run.beats[i]!;
    if (b.value.beat !== beat) continue;
    if (event && b.value.event && b.value.event !== event) continue;
    if (openOnly && !b.open) continue;
    return b;
  }
  return undefined;
}

export interface RunIndex {
  readonly open: readonly RunDraft[];
  readonly recent: readonly RunDraft[];
  readonly byRequest: ReadonlyMap<string, RunDraft>;
}

function* newestFirst(index: RunIndex): Generator<RunDraft> {
  for (let i = index.open.length - 1; i >= 0; i--) yield index.open[i]!;
  for (let i = index.recent.length - 1; i >= 0; i--) yield index.recent[i]!;
}

export function findRunForBaton(
  index: RunIndex,
  requestId: string | undefined,
  sequence: string,
  event: string,
): RunDraft | undefined {
  if (requestId !== undefined) {
    const r = index.byRequest.get(requestId);
    if (r) return r;
  }
  let byEvent: RunDraft | undefined;
  for (const r of newestFirst(index)) {
    const hasEvent = r.beats.some((b) => b.value.event === event);
    if (hasEvent && r.value.sequenceName === sequence) return r;
    if (hasEvent && byEvent === undefined) byEvent = r;
  }
  return byEvent;
}

export function findRunByPlugin(index: RunIndex, pluginId: string): RunDraft | undefined {
  for (const r of newestFirst(index)) {
    if (r.value.pluginId === pluginId && r.beats.some((b) => b.handlerRuns.length === 0)) return r;
  }
  for (const r of newestFirst(index)) if (r.value.pluginId === pluginId) return r;
  return undefined;
}

export function findOpenRunByName(index: RunIndex, name: string): RunDraft | undefined {
  for (let i = index.open.length - 1; i >= 0; i--) {
    const r = index.open[i]!;
    if (r.value.sequenceName === name || r.value.sequenceId === name) return r;
  }
  return undefined;
}

/** The runs a context-free line can go to, as the run tracker keeps them. */
export interface RunCursor {
  /** Open runs, oldest first: the newest is the one lines without a sequence name describe. */
  readonly open: readonly RunDraft[];
  /** The run such a line belongs to (the open run `name` names, else the newest), started implicitly if none is open. */
  current(line: number, t: number | null, name?: string): RunDraft;
}
