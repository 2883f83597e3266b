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
import type { HandlerDraft } from './link-handlers.js';
import type { LinkedSequence } from './link-sequences.js';

/**
 * Lookups over the drafts of one link pass. A re-link patches them, replacing (never mutating) the lists
 * of the names and sites whose drafts changed.
 */
export interface DraftTables {
  readonly byName: Map<string, readonly HandlerDraft[]>;
  /** By `file:line:column` of the definition; unresolved drafts are absent. */
  readonly byLoc: Map<string, readonly HandlerDraft[]>;
  /** By `HandlerDraft.key`. */
  readonly byKey: Map<string, HandlerDraft>;
}

/** A link from test case `test` (one of the file's `cases`) to the draft keyed `draft`. */
export interface LinkOp {
  readonly draft: string;
  readonly test: TestCase;
  readonly evidence: TestEvidenceKind;
}

export interface TestFileLinks {
  /** In the order the full link step calls `addLink`; that order decides ties in `HandlerDefinition.tests`. */
  readonly ops: readonly LinkOp[];
  /** Keys looked up in `DraftTables.byName` and present there (handler names). */
  readonly names: readonly string[];
  /** Keys looked up in `DraftTables.byLoc`. */
  readonly locs: readonly string[];
  /** Modules the followed imports resolve to; resolution read nothing outside their import closure. */
  readonly targets: readonly string[];
  /** The file's cases ordered by line (stable), as they appear in `CodeIndex.tests`. */
  readonly cases: readonly TestCase[];
}

export function draftTables(drafts: Iterable<HandlerDraft>): DraftTables {
  const byName = new Map<string, HandlerDraft[]>();
  const byLoc = new Map<string, HandlerDraft[]>();
  const byKey = new Map<string, HandlerDraft>();
  const push = (m: Map<string, HandlerDraft[]>, k: string, d: HandlerDraft): void => {
    const list = m.get(k);
    if (list) list.push(d);
    else m.set(k, [d]);
  };
  for (const d of drafts) {
    byKey.set(d.key, d);
    push(byName, d.handler, d);
    if (d.location) push(byLoc, locText(d.location), d);
  }
  return { byName, byLoc, byKey };
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
  // Only handler names can ever have drafts, and which names those are changes only with the sequences
  // (a full link): a name without drafts now cannot gain any in a re-link, so it need not be recorded.
  const named = (name: string): readonly HandlerDraft[] | undefined => {
    const drafts = tables.byName.get(name);
    if (drafts) names.add(name);
    return drafts;
  };
  const ops: LinkOp[] = [];
  const callMemo = new Map<string, readonly HandlerDraft[]>();
  const testPkg = ctx.packageDirOf(file);
  for (let i = 0; i < tf.tests.length; i++) {
    const t = tf.tests[i]!;
    const add = (d: HandlerDraft, evidence: TestEvidenceKind): void => {
      ops.push({ draft: d.key, test: t.test, evidence });
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
  return { ops, names: [...names], locs: [...locs], targets: [...targets], cases };
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
