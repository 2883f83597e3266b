/**
 * Follows values across modules: a `handlers` export through renamed imports, re-exports, `export *`,
 * spreads, aliases and member picks down to the function that defines a key. Results are memoised per
 * `file#export`. Invariant: every step pushes a `file#name` key on the current chain; meeting a key already
 * on the chain is a cycle, reported once as a problem and returned as unresolved, so resolution never loops.
 * Memo entries are grouped by the file they start in, so an incremental re-link can `forget` the files whose
 * import closure changed and keep everything else.
 */
import type { IndexProblem, SourceLocation } from '../model/code-index.js';
import type { ImportBinding, ModuleFacts, ObjectMember, Pos, ValueExpr } from './facts.js';
import type { ModuleResolver } from './module-resolver.js';

export type Resolved =
  | { readonly kind: 'function'; readonly loc: SourceLocation }
  | {
      readonly kind: 'object';
      readonly file: string;
      readonly pos: Pos;
      readonly members: readonly ObjectMember[];
    }
  | { readonly kind: 'module'; readonly file: string }
  | { readonly kind: 'unresolved'; readonly reason: string };

const unresolved = (reason: string): Resolved => ({ kind: 'unresolved', reason });

/** Where an object's key comes from once spreads are flattened: a member value, or a module export. */
type KeySource =
  | { readonly kind: 'value'; readonly file: string; readonly value: ValueExpr }
  | { readonly kind: 'export'; readonly file: string; readonly name: string };

interface FlatObject {
  readonly keys: Map<string, KeySource>;
  /** Reasons of spreads that could not be resolved (their keys are unknown). */
  readonly notes: string[];
}

export class HandlerResolver {
  /** file → (`#export` or `%local`) → result. */
  private readonly memo = new Map<string, Map<string, Resolved>>();
  private readonly reportedCycles = new Set<string>();
  /** Flattened objects by file, then `line:column`: an aggregating index with 100 spreads is walked once. */
  private readonly flat = new Map<string, Map<string, FlatObject>>();
  private cycles = 0;

  constructor(
    private readonly modules: ReadonlyMap<string, ModuleFacts>,
    readonly modulesResolver: ModuleResolver,
    private readonly report: (p: IndexProblem) => void,
  ) {}

  /**
   * Cycles met so far. With cycles, results and problem texts depend on which resolution met the cycle
   * first, so memo entries are only safe to carry into another link pass while this stays 0.
   */
  get cyclesMet(): number {
    return this.cycles;
  }

  /** Drops memoised results that start in `files` (their facts, or those of a module they reach, changed). */
  forget(files: Iterable<string>): void {
    for (const f of files) {
      this.memo.delete(f);
      this.flat.delete(f);
    }
  }

  private memoGet(file: string, key: string): Resolved | undefined {
    return this.memo.get(file)?.get(key);
  }

  private memoSet(file: string, key: string, r: Resolved): void {
    // Cycle results depend on the entry point of the walk; only memoise stable answers.
    if (r.kind === 'unresolved' && r.reason.startsWith('circular')) return;
    let m = this.memo.get(file);
    if (!m) {
      m = new Map();
      this.memo.set(file, m);
    }
    m.set(key, r);
  }

  resolveExport(file: string, name: string, chain: readonly string[] = []): Resolved {
    const key = `${file}#${name}`;
    const cached = this.memoGet(file, `#${name}`);
    if (cached) return cached;
    if (chain.includes(key)) return this.cycle([...chain, key]);
    const next = [...chain, key];
    const m = this.modules.get(file);
    let result: Resolved;
    if (!m) result = unresolved(`${file} is not an indexed module`);
    else {
      const ex = m.exports[name];
      if (ex?.kind === 'local') result = this.resolveName(file, ex.local, next);
      else if (ex) result = this.resolveBinding(file, ex, next);
      else result = this.viaStarExports(file, m, name, next);
    }
    this.memoSet(file, `#${name}`, result);
    return result;
  }

  /** Resolves an import binding as seen from `fromFile` (also used for test files, which have no ModuleFacts). */
  resolveBinding(fromFile: string, binding: ImportBinding, chain: readonly string[] = []): Resolved {
    const target = this.modulesResolver.resolve(fromFile, binding.specifier);
    if (!target) return unresolved(`cannot resolve import '${binding.specifier}' from ${fromFile}`);
    if (binding.imported === '*') return { kind: 'module', file: target };
    return this.resolveExport(target, binding.imported, chain);
  }

  resolveName(file: string, name: string, chain: readonly string[] = []): Resolved {
    const key = `${file}%${name}`;
    const cached = this.memoGet(file, `%${name}`);
    if (cached) return cached;
    if (chain.includes(key)) return this.cycle([...chain, key]);
    const next = [...chain, key];
    const m = this.modules.get(file);
    const local = m?.locals[name];
    const imp = m?.imports[name];
    let result: Resolved;
    if (!m) result = unresolved(`${file} is not an indexed module`);
    else if (local) result = this.resolveValue(file, local, next);
    else if (imp) result = this.resolveBinding(file, imp, next);
    else result = unresolved(`'${name}' is not defined in ${file}`);
    this.memoSet(file, `%${name}`, result);
    return result;
  }

  resolveValue(file: string, value: ValueExpr, chain: readonly string[] = []): Resolved {
    switch (value.kind) {
      case 'function':
        return { kind: 'function', loc: { file, ...value.pos } };
      case 'object':
        return { kind: 'object', file, pos: value.pos, members: value.members };
      case 'ref': {
        let r = this.resolveName(file, value.name, chain);
        for (const key of value.path) r = this.member(r, key, chain);
        return r;
      }
      case 'other':
        return unresolved(
          `value at ${file}:${value.pos.line} is not statically resolvable (not a literal or reference)`,
        );
    }
  }

  /** `obj[key]`: later members win, spreads included (flattened once per object, then O(1) per key). */
  member(target: Resolved, key: string, chain: readonly string[] = []): Resolved {
    if (target.kind === 'unresolved') return target;
    if (target.kind === 'function') return unresolved(`'${key}' looked up on a function at ${locText(target.loc)}`);
    if (target.kind === 'module') return this.resolveExport(target.file, key, chain);
    const flat = this.flatten(target, chain);
    const src = flat.keys.get(key);
    if (src?.kind === 'value') return this.resolveValue(src.file, src.value, chain);
    if (src) return this.resolveExport(src.file, src.name, chain);
    const suffix = flat.notes.length ? ` (unresolved spreads: ${flat.notes.join('; ')})` : '';
    return unresolved(`no key '${key}' in the object in ${target.file}${suffix}`);
  }

  private flatten(obj: Extract<Resolved, { kind: 'object' }>, chain: readonly string[]): FlatObject {
    const at = `${obj.pos.line}:${obj.pos.column}`;
    const id = `${obj.file}:${at}`;
    const done = this.flat.get(obj.file)?.get(at);
    if (done) return done;
    const key = `${id}{}`;
    if (chain.includes(key)) {
      const r = this.cycle([...chain, key]);
      return { keys: new Map(), notes: [r.kind === 'unresolved' ? r.reason : 'circular spread'] };
    }
    const next = [...chain, key];
    const out: FlatObject = { keys: new Map(), notes: [] };
    for (const mem of obj.members) {
      if (mem.kind === 'prop') {
        out.keys.set(mem.key, { kind: 'value', file: obj.file, value: mem.value });
        continue;
      }
      const spread = this.resolveValue(obj.file, mem.value, next);
      if (spread.kind === 'object') {
        const inner = this.flatten(spread, next);
        for (const [k, v] of inner.keys) out.keys.set(k, v);
        out.notes.push(...inner.notes);
      } else if (spread.kind === 'module') {
        for (const name of this.exportNames(spread.file, new Set()))
          out.keys.set(name, { kind: 'export', file: spread.file, name });
      } else if (spread.kind === 'unresolved') out.notes.push(spread.reason);
    }
    let inFile = this.flat.get(obj.file);
    if (!inFile) {
      inFile = new Map();
      this.flat.set(obj.file, inFile);
    }
    inFile.set(at, out);
    return out;
  }

  /** Names a module exports, `export *` included (namespace spreads: `...createHandlers`). */
  private exportNames(file: string, seen: Set<string>): string[] {
    const m = this.modules.get(file);
    if (!m || seen.has(file)) return [];
    seen.add(file);
    const names = Object.keys(m.exports).filter((n) => n !== 'default');
    for (const spec of m.starExports) {
      const target = this.modulesResolver.resolve(file, spec);
      if (target) names.push(...this.exportNames(target, seen));
    }
    return names;
  }

  /**
   * A handler by name in an entry module: its `handlers` export (MusicalConductor mounts `module.handlers`),
   * else a direct export of that name (one-handler-per-file packages re-exported from an index).
   */
  handlerInModule(file: string, handler: string): Resolved {
    const m = this.modules.get(file);
    if (m && ('handlers' in m.exports || m.starExports.length > 0)) {
      const obj = this.resolveExport(file, 'handlers');
      if (obj.kind !== 'unresolved') {
        const hit = this.member(obj, handler);
        if (hit.kind !== 'unresolved') return hit;
        const direct = this.resolveExport(file, handler);
        return direct.kind === 'function' ? direct : hit;
      }
      if (obj.reason.startsWith('circular')) return obj;
    }
    return this.resolveExport(file, handler);
  }

  private viaStarExports(file: string, m: ModuleFacts, name: string, chain: readonly string[]): Resolved {
    if (name !== 'default') {
      for (const spec of m.starExports) {
        const r = this.resolveBinding(file, { specifier: spec, imported: name }, chain);
        if (r.kind !== 'unresolved' || r.reason.startsWith('circular')) return r;
      }
    }
    return unresolved(`${file} does not export '${name}'`);
  }

  private cycle(chain: readonly string[]): Resolved {
    this.cycles++;
    const start = chain.indexOf(chain[chain.length - 1]!);
    const loop = chain.slice(start);
    const id = [...loop].sort().join('|');
    const file = (loop[0] ?? '').split(/[#%]/)[0] ?? '';
    if (!this.reportedCycles.has(id)) {
      this.reportedCycles.add(id);
      this.report({ file, line: 0, severity: 'error', message: `circular re-export: ${loop.join(' → ')}` });
    }
    return unresolved(`circular re-export: ${loop.join(' → ')}`);
  }
}

export function locText(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}
