/**
 * The link step: cached per-file facts → CodeIndex. Pure over its inputs and cheap (no parsing), so it
 * reruns in full on every incremental index; only fact extraction is incremental.
 */
import type { CodeIndex, HandlerDefinition, IndexProblem } from '../model/code-index.js';
import type { FileFacts } from './facts.js';
import { createLinkContext } from './link-context.js';
import { linkHandlers } from './link-handlers.js';
import { cmp, collectTopics, linkSequences } from './link-sequences.js';
import { linkTests } from './link-tests.js';

export function buildIndex(
  root: string,
  facts: ReadonlyMap<string, FileFacts>,
  walkProblems: readonly IndexProblem[],
): CodeIndex {
  const ctx = createLinkContext(facts);
  const linked = linkSequences(ctx);
  const drafts = linkHandlers(ctx, linked);
  const tests = linkTests(ctx, linked, drafts);
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
  const fileProblems = [...facts.values()].flatMap((f) => f.problems);
  return {
    root,
    sequences: linked.map((l) => l.def),
    handlers,
    tests,
    topics: collectTopics(ctx),
    problems: [...walkProblems, ...fileProblems, ...ctx.problems],
  };
}
