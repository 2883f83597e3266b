/**
 * What one link pass leaves for the next, so a re-index after editing a few handler modules or test files
 * re-links only what those edits can reach. Kept in memory only (it holds resolver memos and shares
 * objects with the cached facts); a pass that cannot prove a part unchanged recomputes it, so an
 * incremental result always equals a full link of the same facts.
 *
 * Full re-link when: files were added or removed, a JSON file (sequence, catalog, package, manifest)
 * changed, a changed module has or had inline `mount()`s, or handler resolution met a re-export cycle
 * (then results depend on resolution order, which only a full pass reproduces).
 */
import type { FileFacts } from './facts.js';
import type { LinkBase } from './link-context.js';
import type { HandlerDraft } from './link-handlers.js';
import type { DraftTables, TestFileLinks } from './link-test-cases.js';
import type { ReuseLinks } from './link-tests.js';
import type { ModuleGraph } from './module-graph.js';

export interface LinkSession {
  readonly facts: ReadonlyMap<string, FileFacts>;
  readonly base: LinkBase;
  /** Built by the full pass (cheap there, next to parsing) so the first re-link does not pay for it. */
  readonly graph: ModuleGraph;
  readonly prints: DraftPrints;
  readonly testLinks: ReadonlyMap<string, TestFileLinks>;
  /** Test files in `CodeIndex.tests` order. */
  readonly testOrder: readonly string[];
}

/** Per handler name and per definition site: everything test linking reads of the drafts found there. */
export interface DraftPrints {
  readonly byName: ReadonlyMap<string, string>;
  readonly byLoc: ReadonlyMap<string, string>;
}

export interface RelinkPlan {
  readonly base: LinkBase;
  readonly graph: ModuleGraph;
  /** Changed modules and every module importing them, directly or not. */
  readonly affected: ReadonlySet<string>;
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
 * Patches `prev.base` for the changed files and forgets the resolver results they can reach, or returns
 * null when only a full link is exact. Consumes `prev`: its base is updated in place.
 */
export function planRelink(prev: LinkSession, facts: ReadonlyMap<string, FileFacts>): RelinkPlan | null {
  if (prev.facts.size !== facts.size || prev.base.resolver.cyclesMet > 0) return null;
  const modules: string[] = [];
  const tests: string[] = [];
  for (const [file, f] of facts) {
    const old = prev.facts.get(file);
    if (old === f) continue;
    if (!old) return null;
    if (isPlainModule(f) && isPlainModule(old)) modules.push(file);
    else if (isTestFile(f) && isTestFile(old)) tests.push(file);
    else return null;
  }
  const { base } = prev;
  for (const file of modules) base.modules.set(file, facts.get(file)!.module!);
  for (const file of tests) base.testFiles.set(file, facts.get(file)!.testFile!);
  const { graph } = prev;
  for (const file of modules) graph.update(file, base.modules.get(file)!);
  const affected = graph.affectedBy(modules);
  base.resolver.forget(affected);
  return { base, graph, affected };
}

export function draftPrints(tables: DraftTables): DraftPrints {
  const print = (list: readonly HandlerDraft[]): string =>
    list.map((d) => `${tables.keyOf.get(d)}|${d.sequences.map((s) => `${s.id}:${s.beat}`).join(',')}`).join(';');
  const byName = new Map<string, string>();
  const byLoc = new Map<string, string>();
  for (const [name, list] of tables.byName) byName.set(name, print(list));
  for (const [loc, list] of tables.byLoc) byLoc.set(loc, print(list));
  return { byName, byLoc };
}

/** Test files whose recorded links are still exact: same facts, nothing they read changed. */
export function reusableLinks(prev: LinkSession, plan: RelinkPlan, prints: DraftPrints): ReuseLinks {
  const names = changedKeys(prev.prints.byName, prints.byName);
  const locs = changedKeys(prev.prints.byLoc, prints.byLoc);
  return (file, tf) => {
    const old = prev.testLinks.get(file);
    if (!old || old.facts !== tf) return undefined;
    if (plan.affected.size > 0 && old.targets.some((t) => plan.affected.has(t))) return undefined;
    if (names.size > 0 && old.names.some((n) => names.has(n))) return undefined;
    if (locs.size > 0 && old.locs.some((l) => locs.has(l))) return undefined;
    return old;
  };
}

function changedKeys(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of after) if (before.get(k) !== v) out.add(k);
  for (const k of before.keys()) if (!after.has(k)) out.add(k);
  return out;
}
