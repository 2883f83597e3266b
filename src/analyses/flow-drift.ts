/**
 * Drift: systematic differences between what production ran and what the code defines now — a beat the code
 * has that no completed run executed, an event every completed run executed that the code no longer has, or a
 * defined handler no run executed for its event. Occasional deviations are per-run violations, not drift.
 * Only completed runs count: an incomplete run lacking later beats says nothing about the build.
 */
import type { SequenceDefinition } from '../model/code-index.js';
import type { BeatRun, SequenceRun } from '../model/entities.js';
import { type FlatBeat, flattenBeats, type SequenceDefinitions } from './flow-definitions.js';
import type { DriftBeat, SequenceDrift } from './flow-types.js';

export function detectSequenceDrift(
  def: SequenceDefinition,
  runs: readonly SequenceRun[],
  beatsOf: (runId: string) => readonly BeatRun[],
  defs: SequenceDefinitions,
): SequenceDrift | null {
  const completed = runs.filter((r) => r.status === 'completed').map((r) => beatsOf(r.id));
  if (completed.length === 0) return null;
  const defined = flattenBeats(def);
  const ran = (d: FlatBeat, beats: readonly BeatRun[]) =>
    beats.some((b) => (d.event !== null ? b.event === d.event : b.beat === d.beat));
  const missingInRuns: DriftBeat[] = defined
    .filter((d) => !completed.some((beats) => ran(d, beats)))
    .map((d) => ({ beat: d.beat, event: d.event, handler: d.handler }));

  const definedEvents = new Set(defined.map((d) => d.event).filter((e) => e !== null));
  const extra = new Map<string, DriftBeat>();
  for (const b of completed[0]!) {
    if (b.event === null || definedEvents.has(b.event) || extra.has(b.event)) continue;
    if (completed.every((beats) => beats.some((o) => o.event === b.event))) {
      extra.set(b.event, { beat: b.beat, event: b.event, handler: b.handlers[0] ?? null });
    }
  }

  const handlerChanged: SequenceDrift['handlerChanged'][number][] = [];
  for (const d of defined) {
    if (d.handler === null || d.event === null) continue;
    const seen = completed.flatMap((beats) => beats.filter((b) => b.event === d.event && b.handlers.length > 0));
    if (seen.length === 0 || seen.some((b) => b.handlers.includes(d.handler!))) continue;
    const instead = seen[0]!.handlers.find((h) => !defs.handlesEvent(d.event, h)) ?? seen[0]!.handlers[0]!;
    handlerChanged.push({ beat: d.beat, event: d.event, handler: instead, definedHandler: d.handler });
  }

  if (missingInRuns.length === 0 && extra.size === 0 && handlerChanged.length === 0) return null;
  return {
    sequenceId: def.id,
    sequenceName: def.name,
    missingInRuns,
    extraInRuns: [...extra.values()],
    handlerChanged,
    runs: completed.length,
  };
}
