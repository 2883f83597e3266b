/**
 * Which modules can see a change: the reverse import closure. Handler resolution starting in module M only
 * ever reads facts of modules reachable from M through its import, re-export and `export *` specifiers, so
 * when a set of modules changes, every memoised resolution outside `affectedBy(changed)` is still valid.
 * Edges are resolved with the link step's ModuleResolver, so the graph is only valid for the file set and
 * packages it was built with; callers rebuild it when those change.
 */
import type { ModuleFacts } from './facts.js';
import type { ModuleResolver } from './module-resolver.js';

export class ModuleGraph {
  private readonly out = new Map<string, readonly string[]>();
  private readonly importers = new Map<string, Set<string>>();

  /** `modules` null: no edges yet (see `fromEdges`). */
  constructor(
    modules: ReadonlyMap<string, ModuleFacts> | null,
    private readonly resolver: ModuleResolver,
  ) {
    if (modules) for (const [file, m] of modules) this.setEdges(file, m);
  }

  /** A graph with known edges (as `edges()` returned them, for the same file set), without the facts. */
  static fromEdges(edges: Iterable<readonly [string, readonly string[]]>, resolver: ModuleResolver): ModuleGraph {
    const g = new ModuleGraph(null, resolver);
    for (const [file, targets] of edges) g.addEdges(file, targets);
    return g;
  }

  /** Each module's resolved import, re-export and `export *` targets. */
  edges(): ReadonlyMap<string, readonly string[]> {
    return this.out;
  }

  /** `files` plus every module they reach. */
  closure(files: Iterable<string>): Set<string> {
    return reach(files, this.out);
  }

  /** Replaces the outgoing edges of `file` after its facts changed. */
  update(file: string, m: ModuleFacts): void {
    for (const target of this.out.get(file) ?? []) this.importers.get(target)?.delete(file);
    this.setEdges(file, m);
  }

  /** `changed` plus every module that reaches one of them. */
  affectedBy(changed: Iterable<string>): Set<string> {
    return reach(changed, this.importers);
  }

  private setEdges(file: string, m: ModuleFacts): void {
    const specs = new Set<string>(m.starExports);
    for (const b of Object.values(m.imports)) specs.add(b.specifier);
    for (const e of Object.values(m.exports)) if (e.kind === 'reexport') specs.add(e.specifier);
    const targets: string[] = [];
    for (const spec of specs) {
      const target = this.resolver.resolve(file, spec);
      if (target) targets.push(target);
    }
    this.addEdges(file, targets);
  }

  private addEdges(file: string, targets: readonly string[]): void {
    for (const target of targets) {
      let set = this.importers.get(target);
      if (!set) {
        set = new Set();
        this.importers.set(target, set);
      }
      set.add(file);
    }
    this.out.set(file, targets);
  }
}

/** `start` plus every node reachable from it along `edges`. */
function reach(start: Iterable<string>, edges: ReadonlyMap<string, Iterable<string>>): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const next of edges.get(f) ?? []) if (!seen.has(next)) stack.push(next);
  }
  return seen;
}
