/**
 * A sequence run as replay compares it: its beats in order, each with the handlers that ran, the DataBaton keys
 * each handler added/changed/removed, its error signatures and its time. Built from a store's entities, so the
 * captured run (the user's store) and the replayed one (its console ingested into an in-memory store) are read
 * by the same importers and model builder and compare as the same model.
 */
import type { BatonDiff, BeatRun, HandlerError, HandlerRun, SequenceRun } from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

export interface HandlerShape {
  readonly handler: string;
  readonly pluginId: string | null;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  /** `pluginId.handler: message` with digits masked, or null when the handler did not throw. */
  readonly error: string | null;
}

export interface BeatShape {
  readonly beat: number;
  readonly event: string;
  readonly status: BeatRun['status'];
  /** Handlers in the order the log shows them (settle order). */
  readonly handlers: readonly HandlerShape[];
  readonly durationMs: number | null;
}

export interface RunShape {
  readonly run: SequenceRun;
  readonly beats: readonly BeatShape[];
  /** Baton diffs of the run in line order, previews included (the inputs are reconstructed from them). */
  readonly batonDiffs: readonly BatonDiff[];
}

/** Masks digits so one failure of `Component not found: rx-1-99` and of `rx-2-99` share a signature. */
export function errorSignature(pluginId: string, handler: string, message: string): string {
  return `${pluginId}.${handler}: ${message.replace(/\d+/g, '#')}`;
}

/** The shape of one stored sequence run. Reads every beat, handler, diff and error entity of the store. */
export async function runShape(store: TelemetryStore, run: SequenceRun): Promise<RunShape> {
  const mine = <T extends { readonly sequenceRunId: string | null }>(items: readonly T[]) =>
    items.filter((i) => i.sequenceRunId === run.id);
  const beats = mine(await store.entities('beat-run'));
  const handlerRuns = mine(await store.entities('handler-run'));
  const diffs = mine(await store.entities('baton-diff'));
  const errors = mine(await store.entities('handler-error'));
  return { run, beats: beats.map((b) => beatShape(b, handlerRuns, diffs, errors)), batonDiffs: diffs };
}

function beatShape(
  beat: BeatRun,
  handlerRuns: readonly HandlerRun[],
  diffs: readonly BatonDiff[],
  errors: readonly HandlerError[],
): BeatShape {
  const names = new Map<string, string | null>();
  for (const name of beat.handlers) names.set(name, beat.pluginId);
  for (const h of handlerRuns) if (h.beatRunId === beat.id) names.set(h.handler, h.pluginId);
  for (const e of errors) if (e.beatRunId === beat.id) names.set(e.handler, e.pluginId);
  const handlers = [...names].map(([handler, pluginId]): HandlerShape => {
    const own = diffs.filter((d) => d.beatRunId === beat.id && d.level === 'handler' && d.handler === handler);
    const keys = (pick: (d: BatonDiff) => readonly string[]) => [...new Set(own.flatMap(pick))].sort();
    const error = errors.find((e) => e.beatRunId === beat.id && e.handler === handler);
    return {
      handler,
      pluginId,
      added: keys((d) => d.change.added),
      updated: keys((d) => d.change.updated),
      removed: keys((d) => d.change.removed),
      error: error ? errorSignature(error.pluginId, error.handler, error.message) : null,
    };
  });
  return {
    beat: beat.beat,
    event: beat.event ?? '',
    status: beat.status,
    handlers,
    durationMs: beat.durationMs,
  };
}
