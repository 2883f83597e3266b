/**
 * One test file's cases → the handlers they exercise (evidence kinds: see link-tests.ts). The pass only
 * returns link operations and never mutates drafts, and it records what it read besides the file's own
 * facts: handler names and definition sites looked up, and the modules its imports resolve to. A re-link
 * replays the operations of a file when none of those changed, instead of resolving its calls again.
 */
import type { TestCase, TestEvidenceKind } from '../model/code-index.js';
import type { TestFileFacts } from './facts.js';
import { locText } from './handler-resolver.js';
import type { LinkContext } from './link-context.js';
import { draftKey, type HandlerDraft } from './link-handlers.js';
import type { LinkedSequence } from './link-sequences.js';

/** Lookups over the drafts of one link pass. */
export interface DraftTables {
  readonly byName: ReadonlyMap<string, readonly HandlerDraft[]>;
  /** By `file:line:column` of the definition; unresolved drafts are absent. */
  readonly byLoc: ReadonlyMap<string, readonly HandlerDraft[]>;
  /** By `draftKey`, to replay operations recorded in an earlier pass. */
  readonly byKey: ReadonlyMap<string, HandlerDraft>;
  readonly keyOf: ReadonlyMap<HandlerDraft, string>;
}

/** `addLink(draft, tests[test].test, evidence)`, with the draft named by its key so it survives passes. */
export interface LinkOp {
  readonly draft: string;
  readonly test: number;
  readonly evidence: TestEvidenceKind;
}

export interface TestFileLinks {
  readonly facts: TestFileFacts;
  /** In the order the full link step calls `addLink`; that order decides ties in `HandlerDefinition.tests`. */
  readonly ops: readonly LinkOp[];
  /** Keys looked up in `DraftTables.byName` (present or not). */
  readonly names: readonly string[];
  /** Keys looked up in `DraftTables.byLoc`. */
  readonly locs: readonly string[];
  /** Modules the followed imports resolve to; resolution read nothing outside their import closure. */
  readonly targets: readonly string[];
  /** The file's cases ordered by line (stable), as they appear in `CodeIndex.tests`. */
  readonly cases: readonly TestCase[];
}

export function draftTables(drafts: readonly HandlerDraft[]): DraftTables {
  const byName = new Map<string, HandlerDraft[]>();
  const byLoc = new Map<string, HandlerDraft[]>();
  const byKey = new Map<string, HandlerDraft>();
  const keyOf = new Map<HandlerDraft, string>();
  const push = (m: Map<string, HandlerDraft[]>, k: string, d: HandlerDraft): void => {
    const list = m.get(k);
    if (list) list.push(d);
    else m.set(k, [d]);
  };
  for (const d of drafts) {
    const key = draftKey(d);
    byKey.set(key, d);
    keyOf.set(d, key);
    push(byName, d.handler, d);
    if (d.location) push(byLoc, locText(d.location), d);
  }
  return { byName, byLoc, byKey, keyOf };
}

export function linkTestFile(
  ctx: LinkContext,
  sequences: readonly LinkedSequence[],
  tables: DraftTables,
  file: string,
  tf: TestFileFacts,
): TestFileLinks {
  const names = new Set<string>();
  const locs = new Set<string>();
  const targets = new Set<string>();
  const named = (name: string): readonly HandlerDraft[] | undefined => {
    names.add(name);
    return tables.byName.get(name);
  };
  const ops: LinkOp[] = [];
  const callMemo = new Map<string, readonly HandlerDraft[]>();
  const testPkg = ctx.packageDirOf(file);
  for (let i = 0; i < tf.tests.length; i++) {
    const t = tf.tests[i]!;
    const add = (d: HandlerDraft, evidence: TestEvidenceKind): void => {
      ops.push({ draft: tables.keyOf.get(d)!, test: i, evidence });
    };
    for (const call of t.calls) {
      const binding = tf.imports[call.object ?? call.name];
      // `obj.f(…)` can only reach a handler when `f` is a handler name (a key of some handlers object);
      // a direct call may use a renamed import, so it is always resolved (memoised per file).
      if (!binding || (call.object && !named(call.name))) continue;
      const key = `${call.object ?? ''}.${call.name}`;
      let hits = callMemo.get(key);
      if (!hits) {
        const target = ctx.resolver.modulesResolver.resolve(file, binding.specifier);
        if (target) targets.add(target);
        let r = ctx.resolver.resolveBinding(file, binding);
        if (call.object) r = ctx.resolver.member(r, call.name);
        hits = [];
        if (r.kind === 'function') {
          const loc = locText(r.loc);
          locs.add(loc);
          hits = tables.byLoc.get(loc) ?? [];
        }
        callMemo.set(key, hits);
      }
      for (const d of hits) add(d, 'import-call');
    }
    for (const ref of t.refs) {
      const drafts = named(ref);
      if (drafts) for (const d of scopeByPackage(ctx, drafts, testPkg)) add(d, 'name-reference');
    }
    for (const tag of t.acTags) for (const d of draftsForAcTag(sequences, named, tag)) add(d, 'ac-tag');
  }
  const cases = tf.tests.map((t) => t.test).sort((a, b) => a.line - b.line);
  return { facts: tf, ops, names: [...names], locs: [...locs], targets: [...targets], cases };
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
  named: (name: string) => readonly HandlerDraft[] | undefined,
  tag: string,
): HandlerDraft[] {
  const t = parseAcTag(tag);
  if (!t) return [];
  const out = new Set<HandlerDraft>();
  for (const { def } of sequences) {
    if (def.id !== t.sequenceId || (def.domainId && def.domainId !== t.domainId)) continue;
    for (const beat of def.movements[t.movement - 1]?.beats ?? []) {
      if (beat.beat !== t.beat || !beat.handler) continue;
      for (const d of named(beat.handler) ?? []) {
        if (d.pluginId === def.pluginId && d.sequences.some((s) => s.id === def.id && s.beat === beat.beat)) out.add(d);
      }
    }
  }
  return [...out];
}
