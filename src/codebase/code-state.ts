/**
 * The indexer's state between processes. `encodeState` turns a state, and the link session kept beside it,
 * into a compact JSON skeleton plus one facts blob per file that a store keeps apart, so a re-index writes
 * only the blobs of the files that changed. `decodeState` reads the skeleton back; facts stay in the store
 * until a re-link reads them (see lazy-facts.ts), so a re-run after a small edit loads a small part of them.
 * The skeleton refers to the stored CodeIndex (handlers and test cases by position) instead of repeating it,
 * so it is only valid with the index it was saved with.
 * Format `beatscope-code-state` version 3 (3: module facts carry payload access); anything else decodes to undefined (the next index is a full one).
 */
import type { CodeIndex, HandlerDefinition, TestCase, TestEvidenceKind } from '../model/code-index.js';
import type { FileFacts, ValueExpr } from './facts.js';
import { HandlerResolver } from './handler-resolver.js';
import {
  type CachedFile,
  type CodeIndexState,
  carriedOf,
  carryRestored,
  type FactsLoader,
  type IndexStats,
} from './index-codebase.js';
import { isLoaded, NOT_LOADED } from './lazy-facts.js';
import type { LinkBase } from './link-context.js';
import { type BeatSlot, type HandlerDraft, keyOf } from './link-handlers.js';
import type { HandlerEntry, LinkedSequence } from './link-sequences.js';
import { cmp } from './link-sequences.js';
import type { LinkSession } from './link-session.js';
import { draftTables, type LinkOp, type TestFileLinks } from './link-test-cases.js';
import { fileBlocks, type OpLinks } from './link-tests.js';
import { ModuleGraph } from './module-graph.js';
import { ModuleResolver } from './module-resolver.js';

const FORMAT = 'beatscope-code-state';
const EVIDENCE: readonly TestEvidenceKind[] = ['import-call', 'ac-tag', 'sequence-test-link', 'name-reference'];

type StoredEntry = readonly ['m', number] | readonly ['v', number, ValueExpr] | readonly ['n', string];

/** One test file's links: cases count, ops as [handler, case, evidence] triples, names and locs (string table), targets (paths). */
type StoredTestLinks = readonly [number, readonly number[], readonly number[], readonly number[], readonly number[]];

interface StoredLink {
  /** Module and test files (indexes into `paths`), in the order the link step keeps them. */
  readonly modules: readonly number[];
  /** Per module: its import targets (path indexes). */
  readonly edges: readonly (readonly number[])[];
  readonly testFiles: readonly number[];
  readonly packages: readonly (readonly [string, string])[];
  readonly packageDirs: readonly string[];
  /** Per sequence of the index: where its handlers come from. */
  readonly entries: readonly StoredEntry[];
  /** Per beat slot, 5 values: start path or -1, definition path or -1, line, column, unresolved reason or null. */
  readonly slots: readonly (number | string | null)[];
  /** Per test file, in `testFiles` order. */
  readonly tests: readonly StoredTestLinks[];
  readonly strings: readonly string[];
  /** Handlers (positions in the index) that sequence `testFile` links reached. */
  readonly seqLinked: readonly number[];
  /** `index.problems` from this position: the files' problems, then the link's. */
  readonly walkProblems: number;
  /** [path, count] for files whose facts carry problems. */
  readonly problemCounts: readonly (readonly [number, number])[];
}

export interface StoredState {
  readonly format: typeof FORMAT;
  readonly version: 3;
  readonly root: string;
  readonly walkStartedMs: number;
  readonly stats: IndexStats;
  /** Files in walk order with their mtime, size and content hash. */
  readonly paths: readonly string[];
  readonly mtimes: readonly number[];
  readonly sizes: readonly number[];
  readonly hashes: readonly string[];
  /** Absent when the last pass met a re-export cycle: the next pass links in full. */
  readonly link?: StoredLink;
}

/** Facts blobs (JSON of FileFacts) by path: all of them, or what changed since the stored state. */
export interface StoredFacts {
  /** Drop every stored blob first. */
  readonly replace: boolean;
  readonly write: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
}

/** Reads stored facts blobs; paths without one are left out. */
export type ReadFacts = (paths: readonly string[]) => Promise<ReadonlyMap<string, string>>;

/**
 * `stored`: the state the store holds (as `decodeState` returned it), whose blobs are kept when unchanged;
 * without it every blob is written.
 */
export async function encodeState(
  state: CodeIndexState,
  index: CodeIndex,
  stored?: CodeIndexState,
): Promise<{ state: StoredState; facts: StoredFacts }> {
  const carried = carriedOf(state);
  const write = new Map<string, string>();
  const remove: string[] = [];
  if (stored) {
    for (const [path, e] of state.files) {
      if (stored.files.get(path)?.hash !== e.hash) write.set(path, JSON.stringify(e.facts));
    }
    for (const path of stored.files.keys()) if (!state.files.has(path)) remove.push(path);
  } else {
    await carried?.facts?.load(state.files);
    for (const [path, e] of state.files) write.set(path, JSON.stringify(e.facts));
  }
  const paths = [...state.files.keys()];
  const entries = [...state.files.values()];
  const session = carried?.session;
  const out: StoredState = {
    format: FORMAT,
    version: 3,
    root: state.root,
    walkStartedMs: state.walkStartedMs,
    stats: state.stats,
    paths,
    mtimes: entries.map((e) => e.mtimeMs),
    sizes: entries.map((e) => e.size),
    hashes: entries.map((e) => e.hash),
    ...(session && session.index === index ? { link: encodeLink(session, paths) } : {}),
  };
  return { state: out, facts: { replace: !stored, write, remove } };
}

function encodeLink(s: LinkSession, paths: readonly string[]): StoredLink {
  const pathIndex = new Map(paths.map((p, i) => [p, i]));
  const at = (p: string): number => pathIndex.get(p) ?? -1;
  const handlerIndex = new Map<string, number>();
  s.index.handlers.forEach((h, i) => {
    handlerIndex.set(keyOf(h.pluginId, h.handler, h.location), i);
  });
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (x: string): number => {
    let i = stringIndex.get(x);
    if (i === undefined) {
      i = strings.length;
      strings.push(x);
      stringIndex.set(x, i);
    }
    return i;
  };
  const modules = [...s.base.modules.keys()];
  const edges = s.graph.edges();
  const testFiles = [...s.base.testFiles.keys()];
  const slots: (number | string | null)[] = [];
  for (const slot of s.slots) {
    const loc = slot.location;
    slots.push(slot.start === null ? -1 : at(slot.start), loc ? at(loc.file) : -1, loc?.line ?? 0, loc?.column ?? 0);
    slots.push(slot.reason);
  }
  const tests = testFiles.map((file): StoredTestLinks => {
    const l = s.testLinks.get(file)!;
    const ops: number[] = [];
    for (const op of l.ops)
      ops.push(handlerIndex.get(op.draft)!, l.cases.indexOf(op.test), EVIDENCE.indexOf(op.evidence));
    return [l.cases.length, ops, l.names.map(str), l.locs.map(str), l.targets.map(at)];
  });
  const problemCounts: [number, number][] = [];
  for (const [file, n] of s.problemCounts) problemCounts.push([at(file), n]);
  return {
    modules: modules.map(at),
    edges: modules.map((m) => (edges.get(m) ?? []).map(at)),
    testFiles: testFiles.map(at),
    packages: [...s.base.packages],
    packageDirs: [...s.base.packageDirs],
    entries: s.linked.map(({ entry }) => encodeEntry(entry, at)),
    slots,
    tests,
    strings,
    seqLinked: [...s.seqLinks.keys()].map((k) => handlerIndex.get(k)!),
    walkProblems: s.walkProblemCount,
    problemCounts,
  };
}

function encodeEntry(e: HandlerEntry, at: (p: string) => number): StoredEntry {
  if (e.kind === 'module') return ['m', at(e.file)];
  if (e.kind === 'value') return ['v', at(e.file), e.value];
  return ['n', e.reason];
}

/** A state read back from a store; its facts load lazily through `read`. Undefined for another format or root. */
export function decodeState(json: unknown, index: CodeIndex, read: ReadFacts): CodeIndexState | undefined {
  const s = json as Partial<StoredState> | null;
  if (s?.format !== FORMAT || s.version !== 3 || index.root !== s.root || !Array.isArray(s.paths)) return undefined;
  const stored = s as StoredState;
  const files = new Map<string, CachedFile>();
  stored.paths.forEach((p, i) => {
    files.set(p, { mtimeMs: stored.mtimes[i]!, size: stored.sizes[i]!, hash: stored.hashes[i]!, facts: NOT_LOADED });
  });
  const state: CodeIndexState = {
    version: 3,
    root: stored.root,
    walkStartedMs: stored.walkStartedMs,
    files,
    stats: stored.stats,
  };
  let session: LinkSession | null = null;
  try {
    session = stored.link ? restoreSession(stored, stored.link, index) : null;
  } catch {
    session = null; // a skeleton that does not fit its index: the next pass links in full
  }
  carryRestored(state, session, lazyLoader(session, read));
  return state;
}

function lazyLoader(session: LinkSession | null, read: ReadFacts): FactsLoader {
  return {
    async load(entries) {
      const wanted = new Map<string, CachedFile>();
      for (const [p, e] of entries) if (e && !isLoaded(e.facts)) wanted.set(p, e);
      if (wanted.size === 0) return;
      const blobs = await read([...wanted.keys()]);
      for (const [p, e] of wanted) {
        const blob = blobs.get(p);
        if (blob === undefined) throw new Error(`the code index store holds no facts for ${p}`);
        const facts = JSON.parse(blob) as FileFacts;
        (e as { facts: FileFacts }).facts = facts;
        if (!session) continue;
        if (session.facts.get(p) === NOT_LOADED) session.facts.set(p, facts);
        if (facts.module && session.base.modules.get(p) === NOT_LOADED) session.base.modules.set(p, facts.module);
        if (facts.testFile && session.base.testFiles.get(p) === NOT_LOADED)
          session.base.testFiles.set(p, facts.testFile);
      }
    },
    closure: (files) => (session ? session.graph.closure(files) : files),
  };
}

function restoreSession(s: StoredState, link: StoredLink, index: CodeIndex): LinkSession {
  const path = (i: number): string => {
    const p = s.paths[i];
    if (p === undefined) throw new Error('bad path index');
    return p;
  };
  const facts = new Map<string, FileFacts>();
  for (const p of s.paths) facts.set(p, NOT_LOADED);
  const modules = new Map(link.modules.map((i) => [path(i), NOT_LOADED]));
  const testFiles = new Map(link.testFiles.map((i) => [path(i), NOT_LOADED]));
  const packages = new Map(link.packages.map(([name, dir]) => [name, dir]));
  const moduleResolver = new ModuleResolver(new Set([...modules.keys(), ...testFiles.keys()]), packages);
  const base: LinkBase = {
    modules,
    testFiles,
    packages,
    packageDirs: new Set(link.packageDirs),
    resolver: new HandlerResolver(modules, moduleResolver, (p) => base.problems.push(p)),
    problems: [],
    names: null,
  };
  const graph = ModuleGraph.fromEdges(
    link.modules.map((m, i) => [path(m), (link.edges[i] ?? []).map(path)] as const),
    moduleResolver,
  );

  if (link.entries.length !== index.sequences.length) throw new Error('sequence count');
  const linked: LinkedSequence[] = index.sequences.map((def, i) => ({
    def,
    entry: decodeEntry(link.entries[i]!, path),
  }));
  const slots: BeatSlot[] = [];
  let k = 0;
  for (const { def, entry } of linked) {
    for (const mov of def.movements) {
      for (const beat of mov.beats) {
        if (!beat.handler) continue;
        const [start, file, line, column, reason] = link.slots.slice(k, k + 5) as [
          number,
          number,
          number,
          number,
          string | null,
        ];
        k += 5;
        const location = file >= 0 ? { file: path(file), line, column } : null;
        slots.push({
          def,
          entry,
          beat: beat as BeatSlot['beat'],
          start: start >= 0 ? path(start) : null,
          location,
          reason,
          key: keyOf(def.pluginId, beat.handler, location),
        });
      }
    }
  }
  if (k !== link.slots.length) throw new Error('slot count');
  const slotsByKey = new Map<string, number[]>();
  const slotsByStart = new Map<string, number[]>();
  slots.forEach((slot, i) => {
    const list = slotsByKey.get(slot.key);
    if (list) list.push(i);
    else slotsByKey.set(slot.key, [i]);
    if (slot.start === null) return;
    const starts = slotsByStart.get(slot.start);
    if (starts) starts.push(i);
    else slotsByStart.set(slot.start, [i]);
  });

  const keys = index.handlers.map((h) => keyOf(h.pluginId, h.handler, h.location));
  const defs = new Map<string, HandlerDefinition>();
  const drafts: HandlerDraft[] = index.handlers.map((h, i) => {
    const key = keys[i]!;
    const list = slotsByKey.get(key);
    if (!list) throw new Error('handler without beats');
    defs.set(key, h);
    return {
      key,
      handler: h.handler,
      pluginId: h.pluginId,
      location: h.location,
      unresolvedReason: h.unresolvedReason,
      candidates: h.candidates,
      sequences: h.sequences,
      slots: list,
    };
  });
  if (defs.size !== slotsByKey.size) throw new Error('draft count');
  const tables = draftTables(drafts);

  const testOrder = [...testFiles.keys()].sort(cmp);
  const casesOf = new Map<string, readonly TestCase[]>();
  const countOf = new Map(link.testFiles.map((f, i) => [path(f), link.tests[i]![0]]));
  let offset = 0;
  for (const file of testOrder) {
    const n = countOf.get(file)!;
    casesOf.set(file, index.tests.slice(offset, offset + n));
    offset += n;
  }
  if (offset !== index.tests.length) throw new Error('test count');
  const testLinks = new Map<string, TestFileLinks>();
  link.testFiles.forEach((f, i) => {
    const [, flat, names, locs, targets] = link.tests[i]!;
    const file = path(f);
    const cases = casesOf.get(file)!;
    const ops: LinkOp[] = [];
    for (let j = 0; j < flat.length; j += 3) {
      const draft = keys[flat[j]!];
      const test = cases[flat[j + 1]!];
      const evidence = EVIDENCE[flat[j + 2]!];
      if (draft === undefined || test === undefined || evidence === undefined) throw new Error('bad op');
      ops.push({ draft, test, evidence });
    }
    const str = (x: number): string => link.strings[x]!;
    testLinks.set(file, { ops, names: names.map(str), locs: locs.map(str), targets: targets.map(path), cases });
  });

  const seqKeys = link.seqLinked.map((i) => keys[i]!);
  const opLinks: OpLinks = new Map();
  for (const [key, def] of defs) opLinks.set(key, def.tests);
  if (seqKeys.length > 0) {
    // Their stored tests include sequence links: rebuild what the test files alone gave them.
    const wanted = new Set(seqKeys);
    for (const key of wanted) opLinks.delete(key);
    for (const file of testOrder) {
      for (const [key, block] of fileBlocks(testLinks.get(file)!)) {
        if (!wanted.has(key)) continue;
        opLinks.set(key, [...(opLinks.get(key) ?? []), ...block]);
      }
    }
  }
  const fileProblemCount = link.problemCounts.reduce((n, [, c]) => n + c, 0);
  return {
    facts,
    base,
    graph,
    linked,
    slots,
    slotsByStart,
    tables,
    testLinks,
    opLinks,
    sequenceTestFiles: slots.some((slot) => slot.beat.testFile),
    seqLinks: new Map(seqKeys.map((key) => [key, []])),
    defs,
    testOrder,
    fileProblems: index.problems.slice(link.walkProblems, link.walkProblems + fileProblemCount),
    walkProblemCount: link.walkProblems,
    problemCounts: new Map(link.problemCounts.map(([f, n]) => [path(f), n])),
    index,
  };
}

function decodeEntry(e: StoredEntry, path: (i: number) => string): HandlerEntry {
  if (e[0] === 'm') return { kind: 'module', file: path(e[1]) };
  if (e[0] === 'v') return { kind: 'value', file: path(e[1]), value: e[2] };
  return { kind: 'none', reason: e[1] };
}
