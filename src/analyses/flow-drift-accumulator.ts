/**
 * Drift: systematic differences between what production ran and what the code defines now — a beat the code
 * has that no completed run executed, an event every completed run executed that the code no longer has, or a
 * defined handler no run executed for its event. Occasional deviations are per-run violations, not drift.
 * Only completed runs count: an incomplete run lacking later beats says nothing about the build.
 *
 * Computed run by run: the completed runs of one sequence are fed in log order and only what drift needs is
 * kept (which defined beats some run executed, the events every run executed so far, the first beat seen per
 * defined handler), so a store's runs stream through instead of being held.
 */
import type { SequenceDefinition } from '../model/code-index.js';
import type { BeatRun } from '../model/entities.js';
import { type FlatBeat, flattenBeats, type SequenceDefinitions } from './flow-definitions.js';
import type { DriftBeat, SequenceDrift } from './flow-types.js';

export class DriftAccumulator {
  private readonly defined: FlatBeat[];
  private readonly definedEvents: Set<string>;
  private completed = 0;
  /** Per defined beat: some completed run executed it. */
  private readonly ran: boolean[];
  /** Events of the first completed run the definition lacks, still in every completed run since. */
  private extra: Map<string, DriftBeat> | null = null;
  /** Per defined beat: the first beat with its event and handlers, and whether any such beat ran its handler. */
  private readonly firstSeen: (BeatRun | null)[];
  private readonly handlerRan: boolean[];

  constructor(
    private readonly def: SequenceDefinition,
    private readonly defs: SequenceDefinitions,
  ) {
    this.defined = flattenBeats(def);
    this.definedEvents = new Set(this.defined.map((d) => d.event).filter((e) => e !== null));
    this.ran = this.defined.map(() => false);
    this.firstSeen = this.defined.map(() => null);
    this.handlerRan = this.defined.map(() => false);
  }

  /** The beats (log order) of the sequence's next completed run. */
  addCompleted(beats: readonly BeatRun[]): void {
    this.completed++;
    this.defined.forEach((d, k) => {
      if (!this.ran[k] && beats.some((b) => (d.event !== null ? b.event === d.event : b.beat === d.beat)))
        this.ran[k] = true;
      if (d.handler === null || d.event === null) return;
      for (const b of beats) {
        if (b.event !== d.event || b.handlers.length === 0) continue;
        this.firstSeen[k] ??= b;
        if (b.handlers.includes(d.handler)) this.handlerRan[k] = true;
      }
    });
    if (this.extra === null) {
      this.extra = new Map();
      for (const b of beats) {
        if (b.event === null || this.definedEvents.has(b.event) || this.extra.has(b.event)) continue;
        this.extra.set(b.event, { beat: b.beat, event: b.event, handler: b.handlers[0] ?? null });
      }
    } else {
      for (const event of [...this.extra.keys()]) if (!beats.some((o) => o.event === event)) this.extra.delete(event);
    }
  }

  /** The drift over the runs fed so far; null when none. */
  result(): SequenceDrift | null {
    if (this.completed === 0) return null;
    const missingInRuns: DriftBeat[] = this.defined
      .filter((_, k) => !this.ran[k])
      .map((d) => ({ beat: d.beat, event: d.event, handler: d.handler }));
    const handlerChanged: SequenceDrift['handlerChanged'][number][] = [];
    this.defined.forEach((d, k) => {
      const first = this.firstSeen[k];
      if (d.handler === null || d.event === null || !first || this.handlerRan[k]) return;
      const instead = first.handlers.find((h) => !this.defs.handlesEvent(d.event, h)) ?? first.handlers[0]!;
      handlerChanged.push({ beat: d.beat, event: d.event, handler: instead, definedHandler: d.handler });
    });
    const extraInRuns = [...this.extra!.values()];
    if (missingInRuns.length === 0 && extraInRuns.length === 0 && handlerChanged.length === 0) return null;
    return {
      sequenceId: this.def.id,
      sequenceName: this.def.name,
      missingInRuns,
      extraInRuns,
      handlerChanged,
      runs: this.completed,
    };
  }
}
