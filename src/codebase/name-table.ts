/**
 * Where functions of a given name are defined in non-test modules (top-level declarations and object keys
 * up to three levels deep), in module order then source order. Used only for the `candidates` hint of a
 * handler that did not resolve. A re-link replaces one module's definitions in place instead of rebuilding
 * the table; the module order is that of the facts, which a re-link never changes.
 */
import type { SourceLocation } from '../model/code-index.js';
import type { ModuleFacts, ValueExpr } from './facts.js';

type Definition = readonly [name: string, loc: SourceLocation];

export class NameTable {
  private readonly table = new Map<string, readonly SourceLocation[]>();
  private readonly order = new Map<string, number>();

  constructor(modules: ReadonlyMap<string, ModuleFacts>) {
    for (const [file, m] of modules) {
      this.order.set(file, this.order.size);
      for (const [name, loc] of definitions(file, m)) {
        const list = this.table.get(name) as SourceLocation[] | undefined;
        if (list) list.push(loc);
        else this.table.set(name, [loc]);
      }
    }
  }

  get(name: string): readonly SourceLocation[] {
    return this.table.get(name) ?? [];
  }

  /** Replaces the definitions of `file`; returns the names whose lists changed. */
  update(file: string, before: ModuleFacts, after: ModuleFacts): Set<string> {
    const old = definitions(file, before);
    const now = definitions(file, after);
    const names = new Set<string>();
    for (const [name] of old) names.add(name);
    for (const [name] of now) names.add(name);
    const changed = new Set<string>();
    const rank = this.order.get(file) ?? this.order.size;
    for (const name of names) {
      const list = this.table.get(name) ?? [];
      const mine = now.filter(([n]) => n === name).map(([, loc]) => loc);
      const kept = list.filter((l) => l.file !== file);
      let at = 0;
      while (at < kept.length && (this.order.get(kept[at]!.file) ?? 0) < rank) at++;
      const next = [...kept.slice(0, at), ...mine, ...kept.slice(at)];
      if (sameLocations(list, next)) continue;
      changed.add(name);
      if (next.length > 0) this.table.set(name, next);
      else this.table.delete(name);
    }
    return changed;
  }
}

/** Names whose definitions in `file` differ between its two facts (what `update` reports, without a table). */
export function changedDefinitions(file: string, before: ModuleFacts, after: ModuleFacts): Set<string> {
  const old = definitions(file, before);
  const now = definitions(file, after);
  const changed = new Set<string>();
  for (const [name] of [...old, ...now]) {
    const a = old.filter(([n]) => n === name).map(([, l]) => l);
    const b = now.filter(([n]) => n === name).map(([, l]) => l);
    if (!sameLocations(a, b)) changed.add(name);
  }
  return changed;
}

function definitions(file: string, m: ModuleFacts): Definition[] {
  const out: Definition[] = [];
  const add = (name: string, v: ValueExpr, depth: number): void => {
    if (v.kind === 'function') out.push([name, { file, ...v.pos }]);
    else if (v.kind === 'object' && depth < 3) {
      for (const mem of v.members) if (mem.kind === 'prop') add(mem.key, mem.value, depth + 1);
    }
  };
  for (const [name, v] of Object.entries(m.locals)) add(name, v, 0);
  return out;
}

function sameLocations(a: readonly SourceLocation[], b: readonly SourceLocation[]): boolean {
  return (
    a.length === b.length &&
    a.every((l, i) => l.file === b[i]!.file && l.line === b[i]!.line && l.column === b[i]!.column)
  );
}
