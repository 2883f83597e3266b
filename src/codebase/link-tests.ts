/**
 * Test cases → handlers they exercise. Evidence, strongest first:
 * `import-call` (the test imports the handler or a handlers object and calls it; matched by resolved
 * definition, so it is exact), `ac-tag` (`[AC:domain:seq:m.b:ac]` / `@ac`), `sequence-test-link` (the
 * beat's own testFile/testCase) and `name-reference` (the name appears in the test; scoped to the plugin
 * package that contains the test when the name is defined in several places). A (handler, test) pair
 * keeps only its strongest evidence.
 */
import type { HandlerTestLink, TestCase, TestEvidenceKind } from '../model/code-index.js';
import type { TestFileFacts } from './facts.js';
import type { LinkContext } from './link-context.js';
import type { HandlerDraft } from './link-handlers.js';
import type { LinkedSequence } from './link-sequences.js';
import { type DraftTables, linkTestFile, type TestFileLinks } from './link-test-cases.js';
import { linkSequenceTests } from './link-test-files.js';

const STRENGTH: Readonly<Record<TestEvidenceKind, number>> = {
  'import-call': 4,
  'ac-tag': 3,
  'sequence-test-link': 2,
  'name-reference': 1,
};

export type AddLink = (draft: HandlerDraft, test: TestCase, evidence: TestEvidenceKind) => void;

/** Links from an earlier pass for `file`, when the caller knows nothing they depend on changed. */
export type ReuseLinks = (file: string, tf: TestFileFacts) => TestFileLinks | undefined;

export interface LinkedTests {
  /** Each test file's links, in `ctx.testFiles` order, for the next pass to reuse. */
  readonly files: Map<string, TestFileLinks>;
  /** Test files linked afresh (the others were replayed). */
  readonly computed: number;
}

/** Adds links to `draft.tests`. */
export function linkTests(
  ctx: LinkContext,
  sequences: readonly LinkedSequence[],
  tables: DraftTables,
  reuse: ReuseLinks = () => undefined,
): LinkedTests {
  // Keyed by TestCase identity: each case is one object (from the cached facts) for the whole link step.
  const linkIndex = new Map<HandlerDraft, Map<TestCase, number>>();
  const addLink: AddLink = (draft, test, evidence) => {
    let idx = linkIndex.get(draft);
    if (!idx) {
      idx = new Map();
      linkIndex.set(draft, idx);
    }
    const at = idx.get(test);
    const link: HandlerTestLink = { test, evidence };
    if (at === undefined) {
      idx.set(test, draft.tests.length);
      draft.tests.push(link);
    } else if (STRENGTH[evidence] > STRENGTH[draft.tests[at]!.evidence]) draft.tests[at] = link;
  };

  const files = new Map<string, TestFileLinks>();
  let computed = 0;
  for (const [file, tf] of ctx.testFiles) {
    let links = reuse(file, tf);
    // A reused draft key that no longer exists means the caller's dependency check missed something;
    // recomputing keeps the result exact either way.
    if (!links || links.facts !== tf || links.ops.some((op) => !tables.byKey.has(op.draft))) {
      links = linkTestFile(ctx, sequences, tables, file, tf);
      computed++;
    }
    files.set(file, links);
    for (const op of links.ops) addLink(tables.byKey.get(op.draft)!, tf.tests[op.test]!.test, op.evidence);
  }
  linkSequenceTests(ctx, sequences, tables.byName, addLink);
  return { files, computed };
}
