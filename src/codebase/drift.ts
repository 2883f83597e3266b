/**
 * Definition drift: what runs did against what the code now defines. Beats are matched as a multiset on
 * (event, handler) rather than by number, because renumbering alone is not drift; an observed beat with no
 * handler matches on its event only. The motivating case: `canvas-component-create-symphony` ran a 6th beat
 * (`canvas:component:augment:line` → enhanceLine) that now lives in `canvas-component-augment-symphony`.
 */
import type { CodeIndex } from '../model/code-index.js';

export interface ObservedBeat {
  readonly beat: number;
  readonly event: string | null;
  readonly handler: string | null;
}

export interface ObservedSequence {
  readonly sequenceId: string;
  readonly beats: readonly ObservedBeat[];
}

export interface SequenceDrift {
  readonly sequenceId: string;
  /** False when no definition with that id is in the index (everything observed is then "extra"). */
  readonly defined: boolean;
  readonly inSync: boolean;
  /** Observed but not defined; `definedIn` lists sequences that define the beat's event now. */
  readonly extraInRuns: readonly (ObservedBeat & { readonly definedIn: readonly string[] })[];
  /** Defined but never observed. */
  readonly missingFromRuns: readonly ObservedBeat[];
}

export function detectDrift(index: CodeIndex, observed: readonly ObservedSequence[]): SequenceDrift[] {
  const eventHomes = new Map<string, Set<string>>();
  for (const s of index.sequences) {
    for (const m of s.movements) {
      for (const b of m.beats) if (b.event) eventHomes.set(b.event, (eventHomes.get(b.event) ?? new Set()).add(s.id));
    }
  }
  return observed.map((obs) => {
    // Copies of one sequence (public + plugin folders) share an id; the first one stands for all.
    const def = index.sequences.find((s) => s.id === obs.sequenceId);
    const remaining: ObservedBeat[] = def
      ? def.movements.flatMap((m) => m.beats.map((b) => ({ beat: b.beat, event: b.event, handler: b.handler })))
      : [];
    const extra: (ObservedBeat & { definedIn: string[] })[] = [];
    const seen = new Set<string>();
    for (const o of obs.beats) {
      const key = `${o.beat}\u0000${o.event}\u0000${o.handler}`;
      if (seen.has(key)) continue; // the same beat in several runs counts once
      seen.add(key);
      const at = remaining.findIndex((d) => d.event === o.event && (o.handler == null || d.handler === o.handler));
      if (at >= 0) remaining.splice(at, 1);
      else {
        const homes = o.event ? [...(eventHomes.get(o.event) ?? [])].filter((id) => id !== obs.sequenceId) : [];
        extra.push({ ...o, definedIn: homes });
      }
    }
    return {
      sequenceId: obs.sequenceId,
      defined: def !== undefined,
      inSync: def !== undefined && extra.length === 0 && remaining.length === 0,
      extraInRuns: extra,
      missingFromRuns: remaining,
    };
  });
}
