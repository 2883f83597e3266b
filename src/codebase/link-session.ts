/**
 * What one link pass leaves for the next, so a re-index after editing a few handler modules or test files
 * does work in proportion to the edit: it resolves again only the beats whose start module imports a
 * changed one (directly or not), links again only the test files that read something that changed, and
 * patches the previous CodeIndex (handlers replaced, inserted or removed in sorted position; unchanged
 * parts shared) instead of rebuilding it. It lives in memory beside the state; code-state.ts also stores
 * it and rebuilds it in a new process (without resolver memos, facts read on demand). A pass that cannot
 * prove a part unchanged recomputes it, so an incremental result always equals a full link of the same facts.
 *
 * Full re-link when: files were added or removed, a JSON file (sequence, catalog, package, manifest)
 * changed, a changed module has or had inline `mount()`s, or handler resolution met a re-export cycle
 * (then results depend on resolution order, which only a full pass reproduces).
 */
import type { CodeIndex, HandlerDefinition, IndexProblem } from '../model/code-index.js';
import { compareHandlers, definitionOf, type LinkResult, testCases } from './build-index.js';
import type { FileFacts } from './facts.js';
import { locText } from './handler-resolver.js';
import { createLinkContext, type LinkBase, type LinkContext } from './link-context.js';
import { type BeatSlot, buildDraft, type HandlerDraft, resolveSlot, type SlotMemo } from './link-handlers.js';
import type { LinkedSequence } from './link-sequences.js';
import { type DraftTables, linkTestFile, type TestFileLinks } from './link-test-cases.js';
import { sequenceTestFiles } from './link-test-files.js';
import { fileBlocks, type OpLinks, replaceBlock, type SequenceLinks, sequenceLinks } from './link-tests.js';
import type { ModuleGraph } from './module-graph.js';
import { changedDefinitions } from './name-table.js';

export interface FileChange {
  readonly file: string;
  readonly before: FileFacts;
  readonly after: FileFacts;
}

export interface LinkSession {
  /** The facts linked, in walk order; patched by a re-link. */
  readonly facts: Map<string, FileFacts>;
  readonly base: LinkBase;
  /** Built by the full pass (cheap there, next to parsing) so the first re-link does not pay for it. */
  readonly graph: ModuleGraph;
  readonly linked: readonly LinkedSequence[];
  readonly slots: BeatSlot[];
  readonly slotsByStart: ReadonlyMap<string, readonly number[]>;
  readonly tables: DraftTables;
  readonly testLinks: Map<string, TestFileLinks>;
  readonly opLinks: OpLinks;
  /** Whether any beat names a test file; sequence links are then recomputed by every pass. */
  readonly sequenceTestFiles: boolean;
  seqLinks: SequenceLinks;
  /** Definitions by draft key; `index.handlers` holds the same objects, sorted. */
  readonly defs: Map<string, HandlerDefinition>;
  /** Test files in `CodeIndex.tests` order. */
  readonly testOrder: readonly string[];
  fileProblems: readonly IndexProblem[];
  /** `index.problems` holds the walk's problems, then `fileProblems`, then the link's own. */
  walkProblemCount: number;
  /** How many of `fileProblems` each file's facts carry, where not zero (they follow the walk order). */
  readonly problemCounts: Map<string, number>;
  /** The last result; never mutated (callers hold it), only replaced. */
  index: CodeIndex;
}

const isPlainModule = (f: FileFacts): boolean =>
  f.module !== undefined && f.module.mounts.length === 0 && f.testFile === undefined && !hasJsonFacts(f);
const isTestFile = (f: FileFacts): boolean => f.testFile !== undefined && f.module === undefined && !hasJsonFacts(f);
const hasJsonFacts = (f: FileFacts): boolean =>
  f.sequences !== undefined ||
  f.catalog !== undefined ||
  f.packageName !== undefined ||
  f.pluginManifest !== undefined ||
  f.routes !== undefined;

/**
 * Makes the facts of `files`, and of every module they import (directly or not), readable: a session read
 * back from a store holds facts lazily. Reading facts that were not ensured throws `MissingFacts`.
 */
export type EnsureFacts = (files: Iterable<string>) => Promise<void>;

/**
 * Patches the session for `changes` (same file set) and returns the new index, or null when only a full
 * link is exact. Consumes `s`: it is updated in place and returned as the next session.
 */
export async function relink(
  s: LinkSession,
  changes: readonly FileChange[],
  root: string,
  walkProblems: readonly IndexProblem[],
  ensure?: EnsureFacts,
): Promise<LinkResult | null> {
  if (s.base.resolver.cyclesMet > 0) return null;
  const modules: FileChange[] = [];
  const tests = new Set<string>();
  for (const c of changes) {
    if (isPlainModule(c.after) && isPlainModule(c.before)) modules.push(c);
    else if (isTestFile(c.after) && isTestFile(c.before)) tests.add(c.file);
    else return null;
  }
  const { base, tables } = s;
  for (const c of changes) {
    s.facts.set(c.file, c.after);
    if (c.after.module) base.modules.set(c.file, c.after.module);
    else base.testFiles.set(c.file, c.after.testFile!);
  }
  const renamed = new Set<string>();
  for (const c of modules) {
    s.graph.update(c.file, c.after.module!);
    // Without a table (never needed, or a session read back from a store) the file's own diff says the same.
    const names = base.names
      ? base.names.update(c.file, c.before.module!, c.after.module!)
      : changedDefinitions(c.file, c.before.module!, c.after.module!);
    for (const name of names) renamed.add(name);
  }
  const affected = s.graph.affectedBy(modules.map((c) => c.file));
  base.resolver.forget(affected);
  if (ensure) await ensure([...affected].filter((f) => s.slotsByStart.has(f)));
  const ctx = createLinkContext(s.facts, base);

  const touched = reresolve(s, ctx, affected);
  // A handler whose own file changed may read or write other payload keys at the same location.
  const changedModules = new Set(modules.map((c) => c.file));
  for (const d of tables.byKey.values()) if (d.location && changedModules.has(d.location.file)) touched.add(d.key);
  for (const name of renamed) for (const d of tables.byName.get(name) ?? []) if (!d.location) touched.add(d.key);
  const { names, locs, redefined } = redraft(s, ctx, touched);
  if (base.resolver.cyclesMet > 0) return null;

  const relinked = await relinkTests(s, ctx, tests, affected, names, locs, redefined, ensure);
  if (base.resolver.cyclesMet > 0) return null;
  if (s.sequenceTestFiles) {
    if (ensure) await ensure(sequenceTestFiles(ctx, s.linked));
    const seq = sequenceLinks(ctx, s.linked, tables);
    for (const key of s.seqLinks.keys()) redefined.add(key);
    for (const key of seq.keys()) redefined.add(key);
    s.seqLinks = seq;
  }

  patchFileProblems(s, changes);
  const prev = s.index;
  s.walkProblemCount = walkProblems.length;
  const handlers = patchHandlers(s, prev.handlers, redefined);
  if (!handlers) return null;
  s.index = {
    root,
    sequences: prev.sequences,
    handlers,
    tests: tests.size > 0 ? testCases(s.testOrder, (file) => s.testLinks.get(file)!.cases) : prev.tests,
    topics: prev.topics,
    problems: [...walkProblems, ...s.fileProblems, ...ctx.problems],
  };
  return { index: s.index, session: s, testFilesLinked: relinked };
}

/** Resolves again the beats that start in `affected`; returns the draft keys they left or joined. */
function reresolve(s: LinkSession, ctx: LinkContext, affected: ReadonlySet<string>): Set<string> {
  const touched = new Set<string>();
  const memo: SlotMemo = new Map();
  for (const file of affected) {
    for (const i of s.slotsByStart.get(file) ?? []) {
      const old = s.slots[i]!;
      const next = resolveSlot(ctx, memo, old.def, old.entry, old.beat);
      s.slots[i] = next;
      if (next.key !== old.key || next.reason !== old.reason) {
        touched.add(old.key);
        touched.add(next.key);
      }
    }
  }
  return touched;
}

/**
 * Rebuilds the drafts of `touched` keys from their slots and patches the tables. Returns the handler names
 * and definition sites whose drafts changed in what test linking reads (existence, sequences), and the keys
 * whose definitions must be rebuilt.
 */
function redraft(
  s: LinkSession,
  ctx: LinkContext,
  touched: ReadonlySet<string>,
): { names: Set<string>; locs: Set<string>; redefined: Set<string> } {
  const { tables, slots } = s;
  const joined = new Map<string, number[]>();
  for (const key of touched) {
    for (const i of tables.byKey.get(key)?.slots ?? []) {
      const now = slots[i]!.key;
      if (now === key || !touched.has(now)) continue;
      const list = joined.get(now);
      if (list) list.push(i);
      else joined.set(now, [i]);
    }
  }
  const names = new Set<string>();
  const locs = new Set<string>();
  const redefined = new Set<string>(touched);
  for (const key of touched) {
    const old = tables.byKey.get(key);
    const kept = old ? old.slots.filter((i) => slots[i]!.key === key) : [];
    const moved = joined.get(key) ?? [];
    const list = moved.length > 0 ? [...kept, ...moved].sort((a, b) => a - b) : kept;
    const next = list.length > 0 ? buildDraft(ctx, slots, key, list) : undefined;
    if (!old || !next || !sameSequences(old, next)) {
      const d = (next ?? old)!;
      names.add(d.handler);
      if (d.location) locs.add(locText(d.location));
    }
    replaceDraft(tables, old, next);
    if (!next) s.opLinks.delete(key);
  }
  return { names, locs, redefined };
}

function sameSequences(a: HandlerDraft, b: HandlerDraft): boolean {
  return (
    a.sequences.length === b.sequences.length &&
    a.sequences.every((x, i) => x.id === b.sequences[i]!.id && x.beat === b.sequences[i]!.beat)
  );
}

function replaceDraft(tables: DraftTables, old: HandlerDraft | undefined, next: HandlerDraft | undefined): void {
  const d = (next ?? old)!;
  if (next) tables.byKey.set(next.key, next);
  else tables.byKey.delete(d.key);
  const swap = (m: Map<string, readonly HandlerDraft[]>, k: string): void => {
    const list = m.get(k) ?? [];
    const at = old ? list.indexOf(old) : -1;
    const out = at >= 0 ? list.filter((_, i) => i !== at) : [...list];
    if (next) out.splice(at >= 0 ? at : out.length, 0, next);
    if (out.length > 0) m.set(k, out);
    else m.delete(k);
  };
  swap(tables.byName, d.handler);
  if (d.location) swap(tables.byLoc, locText(d.location));
}

/** Links again the test files that changed or read a changed name, site or module; patches `opLinks`. */
async function relinkTests(
  s: LinkSession,
  ctx: LinkContext,
  changed: ReadonlySet<string>,
  affected: ReadonlySet<string>,
  names: ReadonlySet<string>,
  locs: ReadonlySet<string>,
  redefined: Set<string>,
  ensure: EnsureFacts | undefined,
): Promise<number> {
  // One pass over a few short lists per test file costs less than keeping an inverted index up to date.
  const files = new Set(changed);
  if (affected.size > 0 || names.size > 0 || locs.size > 0) {
    s.testLinks.forEach((l, file) => {
      if (meets(l.targets, affected) || meets(l.names, names) || meets(l.locs, locs)) files.add(file);
    });
  }
  if (ensure && files.size > 0) {
    // An unchanged test file imports what it did; a changed one is read from its new facts.
    const needed = new Set(files);
    const modules = ctx.resolver.modulesResolver;
    for (const file of files) {
      if (changed.has(file)) {
        for (const b of Object.values(s.base.testFiles.get(file)!.imports)) {
          const target = modules.resolve(file, b.specifier);
          if (target) needed.add(target);
        }
      } else for (const t of s.testLinks.get(file)!.targets) needed.add(t);
    }
    await ensure(needed);
  }
  for (const file of files) {
    const old = s.testLinks.get(file)!;
    const links = linkTestFile(ctx, s.linked, s.tables, file, s.base.testFiles.get(file)!);
    s.testLinks.set(file, links);
    const blocks = fileBlocks(links);
    const keys = new Set(blocks.keys());
    for (const op of old.ops) keys.add(op.draft);
    for (const key of keys) {
      redefined.add(key);
      if (!s.tables.byKey.has(key)) {
        s.opLinks.delete(key);
        continue;
      }
      const list = replaceBlock(s.opLinks.get(key) ?? [], file, blocks.get(key) ?? []);
      if (list.length > 0) s.opLinks.set(key, list);
      else s.opLinks.delete(key);
    }
  }
  return files.size;
}

function meets(list: readonly string[], set: ReadonlySet<string>): boolean {
  if (set.size === 0) return false;
  for (const x of list) if (set.has(x)) return true;
  return false;
}

/** Replaces the problems of changed files in `fileProblems`, keeping walk order. */
function patchFileProblems(s: LinkSession, changes: readonly FileChange[]): void {
  if (!changes.some((c) => c.before.problems.length > 0 || c.after.problems.length > 0)) return;
  const changed = new Map(changes.map((c) => [c.file, c.after]));
  const out: IndexProblem[] = [];
  let at = 0;
  for (const file of s.facts.keys()) {
    const n = s.problemCounts.get(file) ?? 0;
    const after = changed.get(file);
    if (after) {
      for (const p of after.problems) out.push(p);
      if (after.problems.length > 0) s.problemCounts.set(file, after.problems.length);
      else s.problemCounts.delete(file);
    } else for (let i = 0; i < n; i++) out.push(s.fileProblems[at + i]!);
    at += n;
  }
  s.fileProblems = out;
}

/**
 * The previous handlers with the definitions of `keys` rebuilt, inserted or removed in sorted position;
 * null if the session does not match its own last result (then only a full link is safe).
 */
function patchHandlers(
  s: LinkSession,
  prev: readonly HandlerDefinition[],
  keys: ReadonlySet<string>,
): readonly HandlerDefinition[] | null {
  if (keys.size === 0) return prev;
  const out = [...prev];
  for (const key of keys) {
    const old = s.defs.get(key);
    const draft = s.tables.byKey.get(key);
    const next = draft ? definitionOf(draft, s.opLinks.get(key) ?? [], s.seqLinks.get(key)) : undefined;
    if (old) {
      const at = search(out, old);
      if (out[at] !== old) return null;
      if (next) out[at] = next;
      else out.splice(at, 1);
    } else if (next) out.splice(search(out, next), 0, next);
    if (next) s.defs.set(key, next);
    else s.defs.delete(key);
  }
  return out;
}

/** First index whose definition does not sort before `d`. */
function search(list: readonly HandlerDefinition[], d: HandlerDefinition): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareHandlers(list[mid]!, d) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
