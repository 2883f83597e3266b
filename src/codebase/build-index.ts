/**
 * The link step: cached per-file facts → CodeIndex. Pure over its inputs (no parsing). Given the session
 * of the previous pass it re-links only what changed files can reach (see link-session.ts); the result is
 * the same as a full link either way.
 */
import type { CodeIndex, HandlerDefinition, IndexProblem } from '../model/code-index.js';
import type { FileFacts } from './facts.js';
import { createLinkBase, createLinkContext, type LinkBase } from './link-context.js';
import { linkHandlers } from './link-handlers.js';
import { cmp, collectTopics, linkSequences } from './link-sequences.js';
import { draftPrints, type LinkSession, planRelink, type RelinkPlan, reusableLinks } from './link-session.js';
import { draftTables } from './link-test-cases.js';
import { linkTests } from './link-tests.js';
import { ModuleGraph } from './module-graph.js';

export interface LinkResult {
  readonly index: CodeIndex;
  /** For the next `buildIndex`; null when resolution met a cycle (the next pass must be a full one). */
  readonly session: LinkSession | null;
  /** Test files linked afresh; the others replayed links from `previous`. */
  readonly testFilesLinked: number;
}

/** `previous` is consumed: pass each session at most once. */
export function buildIndex(
  root: string,
  facts: ReadonlyMap<string, FileFacts>,
  walkProblems: readonly IndexProblem[],
  previous?: LinkSession,
): LinkResult {
  const plan = previous ? planRelink(previous, facts) : null;
  if (previous && plan) {
    const r = link(root, facts, walkProblems, plan.base, { prev: previous, plan });
    if (r.session) return r;
  }
  return link(root, facts, walkProblems, createLinkBase(facts), null);
}

function link(
  root: string,
  facts: ReadonlyMap<string, FileFacts>,
  walkProblems: readonly IndexProblem[],
  base: LinkBase,
  relink: { prev: LinkSession; plan: RelinkPlan } | null,
): LinkResult {
  const ctx = createLinkContext(facts, base);
  const linked = linkSequences(ctx);
  const drafts = linkHandlers(ctx, linked);
  const tables = draftTables(drafts);
  const prints = draftPrints(tables);
  const reuse = relink ? reusableLinks(relink.prev, relink.plan, prints) : undefined;
  const { files: testLinks, computed } = linkTests(ctx, linked, tables, reuse);
  const handlers: HandlerDefinition[] = drafts
    .map((d) => ({
      ...d,
      tests: [...d.tests].sort((a, b) => cmp(a.test.file, b.test.file) || a.test.line - b.test.line),
    }))
    .sort(
      (a, b) =>
        cmp(a.pluginId ?? '', b.pluginId ?? '') ||
        cmp(a.handler, b.handler) ||
        cmp(a.location?.file ?? '\uffff', b.location?.file ?? '\uffff') ||
        (a.location?.line ?? 0) - (b.location?.line ?? 0),
    );
  // Same file set as the previous pass (a re-link requires it), so the same order.
  const testOrder = relink ? relink.prev.testOrder : [...testLinks.keys()].sort(cmp);
  const fileProblems: IndexProblem[] = [];
  for (const f of facts.values()) for (const p of f.problems) fileProblems.push(p);
  const index: CodeIndex = {
    root,
    sequences: linked.map((l) => l.def),
    handlers,
    tests: testOrder.flatMap((file) => testLinks.get(file)!.cases),
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
          graph: relink?.plan.graph ?? new ModuleGraph(base.modules, base.resolver.modulesResolver),
          prints,
          testLinks,
          testOrder,
        }
      : null;
  return { index, session, testFilesLinked: computed };
}
