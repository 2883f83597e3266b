/**
 * Turns one sequence object (from JSON or a statically evaluated TS literal) into the model's shape,
 * absorbing the variations of CODEBASE_MAPPING.md §2.2: `beat`|`number`, `title`|`name`, `handler` as a
 * string or `{name: "module#export"}` (or `handlerDef`), `{$schema, musicalSequence, domainId}` wrappers,
 * and a top-level integer `beats` count (ignored: the movements are the truth).
 */
import type { BeatDefinition, MovementDefinition, SourceLocation } from '../model/code-index.js';
import type { SequenceFact } from './facts.js';

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Unwraps `{musicalSequence: {...}}`; returns the sequence object and the wrapper's domainId. */
export function unwrapSequence(raw: Obj): { seq: Obj; domainId: string | null } | null {
  if (Array.isArray(raw['movements'])) return { seq: raw, domainId: str(raw['domainId']) };
  const inner = raw['musicalSequence'];
  if (isObject(inner) && Array.isArray(inner['movements'])) {
    return { seq: inner, domainId: str(inner['domainId']) ?? str(raw['domainId']) };
  }
  return null;
}

/** Looks like a sequence (has an id or name and beats) but lacks `movements`: worth a problem. */
export function looksLikeBrokenSequence(raw: Obj): boolean {
  if (unwrapSequence(raw)) return false;
  const named = str(raw['id']) !== null || str(raw['name']) !== null || str(raw['sequenceId']) !== null;
  return named && ('beats' in raw || 'movement' in raw || 'pluginId' in raw);
}

/** Windows backslashes become slashes; a leading slash or `./` is dropped. */
export function normalizeTestPath(p: string): string {
  return p
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
}

function handlerOf(beat: Obj): { handler: string | null; module: string | null } {
  const h = beat['handler'] ?? beat['handlerDef'];
  const ref = typeof h === 'string' ? h : isObject(h) ? str(h['name']) : null;
  if (!ref) return { handler: null, module: null };
  const hash = ref.lastIndexOf('#');
  if (hash < 0) return { handler: ref, module: isObject(h) ? str(h['sourcePath']) : null };
  return { handler: ref.slice(hash + 1) || null, module: ref.slice(0, hash) || null };
}

function beatOf(raw: unknown, position: number): BeatDefinition {
  const b = isObject(raw) ? raw : {};
  const { handler, module } = handlerOf(b);
  const testFile = str(b['testFile']);
  const ac = b['acceptanceCriteria'];
  return {
    beat: num(b['beat']) ?? num(b['number']) ?? position,
    position,
    event: str(b['event']),
    title: str(b['title']) ?? str(b['name']),
    handler,
    handlerModule: module,
    kind: str(b['kind']),
    testFile: testFile ? normalizeTestPath(testFile) : null,
    testCase: str(b['testCase']),
    acceptanceCriteriaCount: Array.isArray(ac) ? ac.length : 0,
  };
}

function movementOf(raw: unknown, index: number): MovementDefinition {
  const m = isObject(raw) ? raw : {};
  const beats = Array.isArray(m['beats']) ? m['beats'] : [];
  return {
    name: str(m['name']) ?? str(m['id']) ?? `Movement ${index}`,
    index,
    beats: beats.map((b, i) => beatOf(b, i + 1)),
  };
}

/** Null when `raw` is not a sequence (no `movements`, even after unwrapping). */
export function normalizeSequence(
  raw: Obj,
  source: SourceLocation,
  origin: SequenceFact['origin'],
  fallbackPluginId: string | null = null,
): SequenceFact | null {
  const un = unwrapSequence(raw);
  if (!un) return null;
  const { seq } = un;
  const id = str(seq['id']) ?? str(seq['sequenceId']) ?? str(seq['key']) ?? str(seq['name']) ?? source.file;
  const description = str(seq['description']);
  return {
    id,
    name: str(seq['name']) ?? str(seq['title']) ?? id,
    pluginId: str(seq['pluginId']) ?? fallbackPluginId,
    domainId: un.domainId,
    movements: (seq['movements'] as unknown[]).map((m, i) => movementOf(m, i + 1)),
    source,
    origin,
    ...(description ? { description } : {}),
  };
}
