/** Lookups of sequence definitions for the flow validator. */
import type { CodeIndex, SequenceDefinition } from '../model/code-index.js';
import type { Violation, ViolationKind, ViolationSeverity } from './flow-types.js';

/** A defined beat with its place in the whole sequence (0-based across movements, in definition order). */
export interface FlatBeat {
  readonly order: number;
  readonly movement: number;
  readonly beat: number;
  readonly event: string | null;
  readonly handler: string | null;
}

export function flattenBeats(def: SequenceDefinition): FlatBeat[] {
  let order = 0;
  return [...def.movements]
    .sort((a, b) => a.index - b.index)
    .flatMap((m) =>
      [...m.beats]
        .sort((a, b) => a.position - b.position)
        .map((b) => ({ order: order++, movement: m.index, beat: b.beat, event: b.event, handler: b.handler })),
    );
}

export class SequenceDefinitions {
  /** Copies of one sequence (public + plugin folders) share an id; the first one stands for all. */
  private readonly byId = new Map<string, SequenceDefinition>();
  private readonly byName = new Map<string, SequenceDefinition>();
  /** Every handler some definition names for an event: a beat event can run several plugins' handlers. */
  private readonly handlersOfEvent = new Map<string, Set<string>>();

  constructor(code: CodeIndex | undefined) {
    for (const def of code?.sequences ?? []) {
      if (!this.byId.has(def.id)) this.byId.set(def.id, def);
      if (!this.byName.has(def.name)) this.byName.set(def.name, def);
      for (const b of flattenBeats(def)) {
        if (b.event === null || b.handler === null) continue;
        const set = this.handlersOfEvent.get(b.event) ?? new Set();
        this.handlersOfEvent.set(b.event, set.add(b.handler));
      }
    }
  }

  /** By sequence id, else by name. */
  find(sequenceId: string | null, sequenceName: string | null): SequenceDefinition | undefined {
    return (
      (sequenceId === null ? undefined : this.byId.get(sequenceId)) ??
      (sequenceName === null ? undefined : this.byName.get(sequenceName))
    );
  }

  all(): SequenceDefinition[] {
    return [...this.byId.values()];
  }

  /** True when some definition's beat for this event names the handler. */
  handlesEvent(event: string | null, handler: string): boolean {
    return event !== null && (this.handlersOfEvent.get(event)?.has(handler) ?? false);
  }
}

type ViolationFields = Partial<Omit<Violation, 'kind' | 'severity' | 'message'>>;

export function violation(
  kind: ViolationKind,
  severity: ViolationSeverity,
  message: string,
  fields: ViolationFields,
): Violation {
  return {
    kind,
    severity,
    message,
    sequenceId: null,
    sequenceName: null,
    pluginId: null,
    sessionId: null,
    runId: null,
    beatRunId: null,
    beat: null,
    event: null,
    handler: null,
    ...fields,
  };
}
