/**
 * Test cases → handlers they exercise. Evidence, strongest first:
 * `import-call` (the test imports the handler or a handlers object and calls it; matched by resolved
 * definition, so it is exact), `ac-tag` (`[AC:domain:seq:m.b:ac]` / `@ac`), `sequence-test-link` (the
 * beat's own testFile/testCase) and `name-reference` (the name appears in the test; scoped to the plugin
 * package that contains the test when the name is defined in several places). A (handler, test) pair
 * keeps only its strongest evidence.
 */
import type { HandlerTestLink, TestCase, TestEvidenceKind } from '../model/code-index.js';
import type { TestFact } from './facts.js';
import { locText } from './handler-resolver.js';
import type { LinkContext } from './link-context.js';
import type { HandlerDraft } from './link-handlers.js';
import type { LinkedSequence } from './link-sequences.js';
import { linkSequenceTests } from './link-test-files.js';

const STRENGTH: Readonly<Record<TestEvidenceKind, number>> = {
  'import-call': 4,
  'ac-tag': 3,
  'sequence-test-link': 2,
  'name-reference': 1,
};

export type AddLink = (draft: HandlerDraft, test: TestCase, evidence: TestEvidenceKind) => void;

export function linkTests(
  ctx: LinkContext,
  sequences: readonly LinkedSequence[],
  drafts: readonly HandlerDraft[],
): TestCase[] {
  const byLoc = groupBy(drafts, (d) => (d.location ? locText(d.location) : null));
  const byName = groupBy(drafts, (d) => d.handler);
  // Keyed by TestCase identity: each case is one object (from the cached facts) for the whole link step.
  const linkIndex = new Map<HandlerDraft, Map<TestCase, number>>();
  const addLink: AddLink = (draft, test, evidence) => {
    let idx = linkIndex.get(draft);
    if (!idx) {
      idx = new Map();
      linkIndex.set(draft, idx);
    }
    const key = test;
    const at = idx.get(key);
    const link: HandlerTestLink = { test, evidence };
    if (at === undefined) {
      idx.set(key, draft.tests.length);
      draft.tests.push(link);
    } else if (STRENGTH[evidence] > STRENGTH[draft.tests[at]!.evidence]) draft.tests[at] = link;
  };

  const all: TestCase[] = [];
  const testsByFile = new Map<string, readonly TestFact[]>();
  for (const [file, tf] of ctx.testFiles) {
    testsByFile.set(file, tf.tests);
    const callMemo = new Map<string, readonly HandlerDraft[]>();
    const testPkg = ctx.packageDirOf(file);
    for (const t of tf.tests) {
      all.push(t.test);
      for (const call of t.calls) {
        const binding = tf.imports[call.object ?? call.name];
        // `obj.f(…)` can only reach a handler when `f` is a handler name (a key of some handlers object);
        // a direct call may use a renamed import, so it is always resolved (memoised per file).
        if (!binding || (call.object && !byName.has(call.name))) continue;
        const key = `${call.object ?? ''}.${call.name}`;
        let hits = callMemo.get(key);
        if (!hits) {
          let r = ctx.resolver.resolveBinding(file, binding);
          if (call.object) r = ctx.resolver.member(r, call.name);
          hits = r.kind === 'function' ? (byLoc.get(locText(r.loc)) ?? []) : [];
          callMemo.set(key, hits);
        }
        for (const d of hits) addLink(d, t.test, 'import-call');
      }
      for (const ref of t.refs) {
        const named = byName.get(ref);
        if (named) for (const d of scopeByPackage(ctx, named, testPkg)) addLink(d, t.test, 'name-reference');
      }
      for (const tag of t.acTags) for (const d of draftsForAcTag(sequences, byName, tag)) addLink(d, t.test, 'ac-tag');
    }
  }
  linkSequenceTests(ctx, sequences, byName, testsByFile, addLink);
  return all.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

const siteCounts = new WeakMap<readonly HandlerDraft[], number>();

/** One definition site: use it. Several: keep those in the test's own package (none if it is elsewhere). */
function scopeByPackage(
  ctx: LinkContext,
  drafts: readonly HandlerDraft[],
  testPkg: string | null,
): readonly HandlerDraft[] {
  let sites = siteCounts.get(drafts);
  if (sites === undefined) {
    sites = new Set(drafts.map((d) => (d.location ? locText(d.location) : `?${d.pluginId}`))).size;
    siteCounts.set(drafts, sites);
  }
  if (sites <= 1) return drafts;
  if (testPkg === null) return [];
  return drafts.filter((d) => d.location && ctx.packageDirOf(d.location.file) === testPkg);
}

/** `domainId:sequenceId:movement.beat:acIndex`; the domain may itself contain colons, so parse from the end. */
export function parseAcTag(
  tag: string,
): { domainId: string; sequenceId: string; movement: number; beat: number } | null {
  const parts = tag.split(':');
  if (parts.length < 4) return null;
  const mb = /^(\d+)\.(\d+)$/.exec(parts[parts.length - 2]!);
  if (!mb) return null;
  return {
    domainId: parts.slice(0, parts.length - 3).join(':'),
    sequenceId: parts[parts.length - 3]!,
    movement: Number(mb[1]),
    beat: Number(mb[2]),
  };
}

function draftsForAcTag(
  sequences: readonly LinkedSequence[],
  byName: ReadonlyMap<string, readonly HandlerDraft[]>,
  tag: string,
): HandlerDraft[] {
  const t = parseAcTag(tag);
  if (!t) return [];
  const out = new Set<HandlerDraft>();
  for (const { def } of sequences) {
    if (def.id !== t.sequenceId || (def.domainId && def.domainId !== t.domainId)) continue;
    for (const beat of def.movements[t.movement - 1]?.beats ?? []) {
      if (beat.beat !== t.beat || !beat.handler) continue;
      for (const d of byName.get(beat.handler) ?? []) {
        if (d.pluginId === def.pluginId && d.sequences.some((s) => s.id === def.id && s.beat === beat.beat)) out.add(d);
      }
    }
  }
  return [...out];
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}
