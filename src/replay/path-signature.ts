/**
 * A production path: what a sequence run did, reduced to what a generated test asserts (beat order, handlers per
 * beat, the DataBaton keys each added/changed/removed, error signature), and the values its previews showed.
 * Runs with equal paths are one test; the path is also what a generated test compares its play against.
 */
import { completeEntries, parsePreview } from '../model/preview-json.js';
import type { RunShape } from './run-shape.js';

export interface PathBeat {
  readonly event: string;
  readonly handlers: readonly {
    readonly handler: string;
    readonly added: readonly string[];
    readonly updated: readonly string[];
    readonly removed: readonly string[];
    readonly error: string | null;
  }[];
}

/** Beats in run order; handlers of a beat sorted by name (async settle order is not part of the path). */
export function pathOf(shape: RunShape): PathBeat[] {
  return shape.beats.map((b) => ({
    event: b.event,
    handlers: [...b.handlers]
      .sort((x, y) => x.handler.localeCompare(y.handler))
      .map(({ handler, added, updated, removed, error }) => ({ handler, added, updated, removed, error })),
  }));
}

/** Equal for equal paths (the dedupe key). */
export function pathKey(path: readonly PathBeat[]): string {
  return JSON.stringify(path);
}

/**
 * The complete top-level values of each handler's previews: `"<event> <handler>"` → key → value. Values the
 * 200-character cut went through are left out.
 */
export function previewValues(shape: RunShape): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const diff of shape.batonDiffs) {
    if (diff.level !== 'handler' || diff.preview === null || diff.handler === null) continue;
    const parsed = parsePreview(diff.preview);
    if (!parsed) continue;
    const top = new Set(Object.keys(parsed.value as object));
    const slot = `${diff.event} ${diff.handler}`;
    for (const [key, value] of completeEntries(parsed)) {
      if (!top.has(key)) continue;
      top.delete(key); // the first (top-level) entry of a name; nested ones of the same name come later
      out[slot] = { ...out[slot], [key]: value };
    }
  }
  return out;
}
