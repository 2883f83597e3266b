/**
 * The link step: cached per-file facts → CodeIndex. Pure over its inputs (no parsing). Given the session
 * of the previous pass and the files that changed since, it patches the previous result (see
 * link-session.ts); the result is the same as a full link either way.
 */
import type { CodeIndex, HandlerDefinition, HandlerTestLink, IndexProblem, TestCase } from '../model/code-index.js';
import type { FileFacts } from './facts.js';
import { createLinkBase, createLinkContext } from './link-context.js';
import { type BeatSlot, groupDrafts, type HandlerDraft, resolveBeats } from './link-handlers.js';
import { cmp, collectTopics, linkSequences } from './link-sequences.js';
import { type EnsureFacts, type FileChange, type LinkSession, relink } from './link-session.js';
import { draftTables } from './link-test-cases.js';
import { handlerTests, linkAllTestFiles, type SequenceLinks, sequenceLinks } from './link-tests.js';
import { ModuleGraph } from './module-graph.js';

export interface LinkResult {
  readonly index: CodeIndex;
  /** For the next `buildIndex`; null when resolution met a cycle (the next pass must be a full one). */
  readonly session: LinkSession | null;
  /** Test files linked afresh; the others kept their links from the previous pass. */
  readonly testFilesLinked: number;
}

export interface PreviousLink {
  /** Consumed: pass each session at most once. */
  readonly session: LinkSession;
  /** Every file whose facts differ from the session's; null when files were added or removed. */
  readonly changes: readonly FileChange[] | null;
  /** For a session whose facts are read lazily. */
  readonly ensure?: EnsureFacts | undefined;
}

/** `facts` in walk order; `previous` is consumed. */
export async function buildIndex(
  root: string,
  facts: () => Promise<Map<string, FileFacts>>,
  walkProblems: readonly IndexProblem[],
  previous?: PreviousLink,
): Promise<LinkResult> {
  if (previous?.changes) {
    const r = await relink(previous.session, previous.changes, root, walkProblems, previous.ensure);
    if (r) return r;
  }
  return fullLink(root, await facts(), walkProblems);
}

function fullLink(root: string, facts: Map<string, FileFacts>, walkProblems: readonly IndexProblem[]): LinkResult {
  const base = createLinkBase(facts);
  const ctx = createLinkContext(facts, base);
  const linked = linkSequences(ctx);
  const slots = resolveBeats(ctx, linked);
  const drafts = groupDrafts(ctx, slots);
  const tables = draftTables(drafts.values());
  const { files: testLinks, opLinks } = linkAllTestFiles(ctx, linked, tables);
  const sequenceTestFiles = slots.some((s) => s.beat.testFile);
  const seqLinks: SequenceLinks = sequenceTestFiles ? sequenceLinks(ctx, linked, tables) : new Map();
  const defs = new Map<string, HandlerDefinition>();
  for (const d of drafts.values()) defs.set(d.key, definitionOf(d, opLinks.get(d.key) ?? [], seqLinks.get(d.key)));
  const testOrder = [...testLinks.keys()].sort(cmp);
  const fileProblems: IndexProblem[] = [];
  const problemCounts = new Map<string, number>();
  for (const [file, f] of facts) {
    if (f.problems.length === 0) continue;
    problemCounts.set(file, f.problems.length);
    for (const p of f.problems) fileProblems.push(p);
  }
  const index: CodeIndex = {
    root,
    sequences: linked.map((l) => l.def),
    handlers: [...defs.values()].sort(compareHandlers),
    tests: testCases(testOrder, (file) => testLinks.get(file)!.cases),
    topics: collectTopics(ctx),
    problems: [...walkProblems, ...fileProblems, ...ctx.problems],
  };
  // After a cycle, memoised results depend on resolution order: nothing may be carried over (and a
  // re-link that met one is redone in full by the caller).
  const session: LinkSession | null =
    base.resolver.cyclesMet === 0
      ? {
          facts,
          base,
          graph: new ModuleGraph(base.modules, base.resolver.modulesResolver),
          linked,
          slots,
          slotsByStart: slotsByStart(slots),
          tables,
          testLinks,
          opLinks,
          sequenceTestFiles,
          seqLinks,
          defs,
          testOrder,
          fileProblems,
          walkProblemCount: walkProblems.length,
          problemCounts,
          index,
        }
      : null;
  return { index, session, testFilesLinked: testLinks.size };
}

export function definitionOf(
  d: HandlerDraft,
  ops: readonly HandlerTestLink[],
  seq: readonly HandlerTestLink[] | undefined,
): HandlerDefinition {
  return {
    handler: d.handler,
    pluginId: d.pluginId,
    location: d.location,
    unresolvedReason: d.unresolvedReason,
    candidates: d.candidates,
    sequences: d.sequences,
    tests: handlerTests(ops, seq),
    payload: d.payload ?? null,
  };
}

/** `CodeIndex.handlers` order: plugin, handler, definition site (unresolved last). Total over distinct drafts. */
export function compareHandlers(a: HandlerDefinition, b: HandlerDefinition): number {
  return (
    cmp(a.pluginId ?? '', b.pluginId ?? '') ||
    (a.pluginId === null ? 0 : 1) - (b.pluginId === null ? 0 : 1) ||
    cmp(a.handler, b.handler) ||
    cmp(a.location?.file ?? '\uffff', b.location?.file ?? '\uffff') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0)
  );
}

export function testCases(order: readonly string[], casesOf: (file: string) => readonly TestCase[]): TestCase[] {
  const out: TestCase[] = [];
  for (const file of order) for (const c of casesOf(file)) out.push(c);
  return out;
}

function slotsByStart(slots: readonly BeatSlot[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < slots.length; i++) {
    const start = slots[i]!.start;
    if (start === null) continue;
    const list = out.get(start);
    if (list) list.push(i);
    else out.set(start, [i]);
  }
  return out;
}
