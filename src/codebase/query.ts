/**
 * Read-only lookups over a finished CodeIndex, for the CLI (`beatscope code <handler|event|sequence-id>
 * [--plugin ID]`) and for joining observed runs to definitions.
 */
import type {
  BeatDefinition,
  CodeIndex,
  HandlerDefinition,
  MovementDefinition,
  SequenceDefinition,
  SourceLocation,
  TestEvidenceKind,
} from '../model/code-index.js';

export interface BeatQuery {
  readonly pluginId?: string;
  readonly sequenceId?: string;
  readonly event?: string;
  readonly handler?: string;
}

export interface BeatMatch {
  readonly sequence: SequenceDefinition;
  readonly movement: MovementDefinition;
  readonly beat: BeatDefinition;
  /** The definition of the beat's handler for this plugin and sequence; null when the beat names none. */
  readonly handler: HandlerDefinition | null;
}

/** Every beat definition matching all given criteria (an empty query matches every beat). */
export function resolveBeat(index: CodeIndex, q: BeatQuery): BeatMatch[] {
  const out: BeatMatch[] = [];
  for (const sequence of index.sequences) {
    if (q.pluginId !== undefined && sequence.pluginId !== q.pluginId) continue;
    if (q.sequenceId !== undefined && sequence.id !== q.sequenceId) continue;
    for (const movement of sequence.movements) {
      for (const beat of movement.beats) {
        if (q.event !== undefined && beat.event !== q.event) continue;
        if (q.handler !== undefined && beat.handler !== q.handler) continue;
        out.push({ sequence, movement, beat, handler: handlerOfBeat(index, sequence, beat) });
      }
    }
  }
  return out;
}

export function handlerOfBeat(
  index: CodeIndex,
  seq: SequenceDefinition,
  beat: BeatDefinition,
): HandlerDefinition | null {
  if (!beat.handler) return null;
  return (
    index.handlers.find(
      (h) =>
        h.handler === beat.handler &&
        h.pluginId === seq.pluginId &&
        h.sequences.some((s) => s.id === seq.id && s.beat === beat.beat && s.event === beat.event),
    ) ?? null
  );
}

export interface HandlerFound {
  readonly kind: 'handler';
  readonly handler: string;
  readonly plugin: string | null;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly sequences: HandlerDefinition['sequences'];
  readonly tests: readonly { file: string; line: number; name: string; evidence: TestEvidenceKind }[];
}

export interface AmbiguousCode {
  readonly kind: 'ambiguous';
  readonly ambiguous: true;
  readonly candidates: readonly {
    readonly handler: string;
    readonly plugin: string | null;
    readonly location: SourceLocation | null;
    readonly sequences: HandlerDefinition['sequences'];
  }[];
  readonly reason: string;
}

export interface UnresolvedCode {
  readonly kind: 'unresolved';
  readonly query: string;
  readonly reason: string;
  /** Same-name definitions from a repo-wide search: hints only. */
  readonly candidates: readonly SourceLocation[];
  /** The handler a sequence names when only its source is not found: what production can still be asked about. */
  readonly named?: {
    readonly handler: string;
    readonly plugin: string | null;
    readonly sequences: HandlerDefinition['sequences'];
  };
}

export type FindCodeResult = HandlerFound | AmbiguousCode | UnresolvedCode;

/**
 * `query` is tried as a handler name, then a beat event, then a sequence id. Results collapse to one
 * handler when every match points at the same function (e.g. two plugins sharing one module).
 */
export function findCode(index: CodeIndex, query: string, opts: { pluginId?: string } = {}): FindCodeResult {
  const inPlugin = (h: HandlerDefinition): boolean => opts.pluginId === undefined || h.pluginId === opts.pluginId;
  let matches = index.handlers.filter((h) => h.handler === query && inPlugin(h));
  let what = `handler '${query}'`;
  if (matches.length === 0) {
    const beats = [
      ...resolveBeat(index, { event: query, ...(opts.pluginId ? { pluginId: opts.pluginId } : {}) }),
      ...resolveBeat(index, { sequenceId: query, ...(opts.pluginId ? { pluginId: opts.pluginId } : {}) }),
    ];
    matches = [...new Set(beats.map((b) => b.handler).filter((h): h is HandlerDefinition => h !== null))];
    what = beats.length ? `${beats[0]!.beat.event === query ? 'event' : 'sequence'} '${query}'` : `'${query}'`;
    if (beats.length === 0) {
      const known = index.handlers.some((h) => h.handler === query);
      return {
        kind: 'unresolved',
        query,
        reason: known
          ? `handler '${query}' is not used by plugin ${opts.pluginId}`
          : `'${query}' is no handler, beat event or sequence id in the index`,
        candidates: [],
      };
    }
  }
  const sites = new Map<string, HandlerDefinition[]>();
  for (const h of matches) {
    const key = h.location
      ? `${h.location.file}:${h.location.line}:${h.location.column}`
      : `?${h.pluginId}:${h.handler}`;
    sites.set(key, [...(sites.get(key) ?? []), h]);
  }
  if (sites.size === 1) {
    const group = [...sites.values()][0]!;
    const h = group[0]!;
    if (!h.location) {
      return {
        kind: 'unresolved',
        query,
        reason: h.unresolvedReason ?? 'not resolved',
        candidates: h.candidates,
        named: { handler: h.handler, plugin: h.pluginId, sequences: group.flatMap((g) => g.sequences) },
      };
    }
    const tests = new Map<string, HandlerFound['tests'][number]>();
    for (const g of group)
      for (const t of g.tests) tests.set(`${t.test.file}:${t.test.line}`, { ...t.test, evidence: t.evidence });
    return {
      kind: 'handler',
      handler: h.handler,
      plugin: group.length === 1 ? h.pluginId : [...new Set(group.map((g) => g.pluginId))].join(','),
      ...h.location,
      sequences: group.flatMap((g) => g.sequences),
      tests: [...tests.values()].map(({ file, line, name, evidence }) => ({ file, line, name, evidence })),
    };
  }
  const plugins = new Set(matches.map((m) => m.pluginId));
  return {
    kind: 'ambiguous',
    ambiguous: true,
    candidates: matches.map((h) => ({
      handler: h.handler,
      plugin: h.pluginId,
      location: h.location,
      sequences: h.sequences,
    })),
    reason:
      plugins.size > 1 && opts.pluginId === undefined
        ? `${what} is defined for ${plugins.size} plugins (${[...plugins].join(', ')}); pass --plugin`
        : `${what} resolves to ${sites.size} different definitions`,
  };
}
