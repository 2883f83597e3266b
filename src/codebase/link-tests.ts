/**
 * Test cases → handlers they exercise. Evidence, strongest first:
 * `import-call` (the test imports the handler or a handlers object and calls it; matched by resolved
 * definition, so it is exact), `ac-tag` (`[AC:domain:seq:m.b:ac]` / `@ac`), `sequence-test-link` (the
 * beat's own testFile/testCase) and `name-reference` (the name appears in the test; scoped to the plugin
 * package that contains the test when the name is defined in several places). A (handler, test) pair
 * keeps only its strongest evidence.
 * A handler's tests are ordered by (file, line), ties in link order; the links of one test file therefore
 * form one contiguous block, which is what a re-link replaces when it links that file again.
 */
import type { HandlerTestLink, TestCase, TestEvidenceKind } from '../model/code-index.js';
import type { LinkContext } from './link-context.js';
import type { HandlerDraft } from './link-handlers.js';
import { cmp, type LinkedSequence } from './link-sequences.js';
import { type DraftTables, linkTestFile, type TestFileLinks } from './link-test-cases.js';
import { linkSequenceTests } from './link-test-files.js';

const STRENGTH: Readonly<Record<TestEvidenceKind, number>> = {
  'import-call': 4,
  'ac-tag': 3,
  'sequence-test-link': 2,
  'name-reference': 1,
};

export type AddLink = (draft: HandlerDraft, test: TestCase, evidence: TestEvidenceKind) => void;

/** Handler tests found through test files only (no sequence `testFile` links), by draft key. */
export type OpLinks = Map<string, readonly HandlerTestLink[]>;

/** Links that sequence JSON `testFile`/`testCase` fields add, by draft key, in link order. */
export type SequenceLinks = ReadonlyMap<string, readonly HandlerTestLink[]>;

/** Links every test file; returns each file's links in `ctx.testFiles` order and the tests by draft. */
export function linkAllTestFiles(
  ctx: LinkContext,
  sequences: readonly LinkedSequence[],
  tables: DraftTables,
): { files: Map<string, TestFileLinks>; opLinks: OpLinks } {
  const files = new Map<string, TestFileLinks>();
  const lists = new Map<string, HandlerTestLink[]>();
  // Per draft: where each case's link is in its list (the same case keeps one link, the strongest).
  const at = new Map<string, Map<TestCase, number>>();
  for (const [file, tf] of ctx.testFiles) {
    const links = linkTestFile(ctx, sequences, tables, file, tf);
    files.set(file, links);
    for (const { draft, test, evidence } of links.ops) {
      let list = lists.get(draft);
      let index = at.get(draft);
      if (!list || !index) {
        list = [];
        index = new Map();
        lists.set(draft, list);
        at.set(draft, index);
      }
      const i = index.get(test);
      if (i === undefined) {
        index.set(test, list.length);
        list.push({ test, evidence });
      } else if (STRENGTH[evidence] > STRENGTH[list[i]!.evidence]) list[i] = { test, evidence };
    }
  }
  for (const list of lists.values()) list.sort(byFileLine);
  return { files, opLinks: lists };
}

/**
 * One test file's links per draft key: each case once with its strongest evidence, at its first link,
 * then ordered by line (stable).
 */
export function fileBlocks(links: TestFileLinks): Map<string, HandlerTestLink[]> {
  const blocks = new Map<string, HandlerTestLink[]>();
  for (const { draft, test, evidence } of links.ops) {
    const block = blocks.get(draft);
    if (!block) {
      blocks.set(draft, [{ test, evidence }]);
      continue;
    }
    const i = block.findIndex((l) => l.test === test);
    if (i < 0) block.push({ test, evidence });
    else if (STRENGTH[evidence] > STRENGTH[block[i]!.evidence]) block[i] = { test, evidence };
  }
  for (const block of blocks.values()) if (block.length > 1) block.sort((a, b) => a.test.line - b.test.line);
  return blocks;
}

/** `list` (ordered by file, line) with the links of `file` replaced by `block` (that file's links, by line). */
export function replaceBlock(
  list: readonly HandlerTestLink[],
  file: string,
  block: readonly HandlerTestLink[],
): readonly HandlerTestLink[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid]!.test.file, file) < 0) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && list[end]!.test.file === file) end++;
  if (end === lo && block.length === 0) return list;
  return [...list.slice(0, lo), ...block, ...list.slice(end)];
}

/** The sequence JSON's own `testFile`/`testCase` links; reports stale ones to `ctx.problems`. */
export function sequenceLinks(
  ctx: LinkContext,
  sequences: readonly LinkedSequence[],
  tables: DraftTables,
): SequenceLinks {
  const out = new Map<string, HandlerTestLink[]>();
  linkSequenceTests(ctx, sequences, tables.byName, (draft, test, evidence) => {
    const list = out.get(draft.key);
    if (list) list.push({ test, evidence });
    else out.set(draft.key, [{ test, evidence }]);
  });
  return out;
}

/**
 * A handler's tests: its test-file links, then its sequence links merged in, ordered by (file, line). A
 * sequence link to a case already linked (equal in every field) only strengthens that link.
 */
export function handlerTests(
  ops: readonly HandlerTestLink[],
  seq: readonly HandlerTestLink[] | undefined,
): readonly HandlerTestLink[] {
  if (!seq) return ops;
  const out = [...ops];
  for (const link of seq) {
    const i = out.findIndex((l) => sameCase(l.test, link.test));
    if (i < 0) out.push(link);
    else if (STRENGTH[link.evidence] > STRENGTH[out[i]!.evidence]) out[i] = link;
  }
  return out.sort(byFileLine);
}

const sameCase = (a: TestCase, b: TestCase): boolean =>
  a === b || (a.file === b.file && a.line === b.line && a.name === b.name && a.framework === b.framework);

const byFileLine = (a: HandlerTestLink, b: HandlerTestLink): number =>
  cmp(a.test.file, b.test.file) || a.test.line - b.test.line;
