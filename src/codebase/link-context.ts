/**
 * Shared, read-only lookups for the link step, built once per index from the cached per-file facts:
 * package name → directory, module facts by file, import resolution, nearest enclosing package, and a
 * repo-wide "where is a function of this name defined" table used only for hints. The parts that depend
 * only on the file set (`LinkBase`) can be carried into the next link pass when no file was added or removed.
 */
import path from 'node:path';
import type { IndexProblem, SourceLocation } from '../model/code-index.js';
import type { FileFacts, ModuleFacts, TestFileFacts } from './facts.js';
import { HandlerResolver } from './handler-resolver.js';
import { ModuleResolver } from './module-resolver.js';
import { NameTable } from './name-table.js';

export interface LinkContext {
  readonly facts: ReadonlyMap<string, FileFacts>;
  readonly modules: ReadonlyMap<string, ModuleFacts>;
  readonly testFiles: ReadonlyMap<string, TestFileFacts>;
  /** package name → root-relative directory ('' for the repository root). */
  readonly packages: ReadonlyMap<string, string>;
  readonly resolver: HandlerResolver;
  readonly problems: IndexProblem[];
  /** Directory of the nearest `package.json` above `file` (excluding the repository root), or null. */
  packageDirOf(file: string): string | null;
  /** Function definitions named `name` anywhere in non-test modules (top-level or object keys). */
  definitionsNamed(name: string): readonly SourceLocation[];
}

/** What a re-link may keep when the file set and packages are unchanged (module and test facts patched in place). */
export interface LinkBase {
  readonly modules: Map<string, ModuleFacts>;
  readonly testFiles: Map<string, TestFileFacts>;
  readonly packages: ReadonlyMap<string, string>;
  readonly packageDirs: ReadonlySet<string>;
  readonly resolver: HandlerResolver;
  /** Where the resolver reports; replaced by each link pass. */
  problems: IndexProblem[];
  /** Built on first use (only unresolved handlers need it); a re-link patches it. */
  names: NameTable | null;
}

export function createLinkBase(facts: ReadonlyMap<string, FileFacts>): LinkBase {
  const modules = new Map<string, ModuleFacts>();
  const testFiles = new Map<string, TestFileFacts>();
  const packages = new Map<string, string>();
  const packageDirs = new Set<string>();
  for (const [file, f] of facts) {
    if (f.module) modules.set(file, f.module);
    if (f.testFile) testFiles.set(file, f.testFile);
    if (f.packageName) {
      const dir = path.posix.dirname(file);
      const rel = dir === '.' ? '' : dir;
      // First one wins on duplicates (sorted walk order makes it deterministic).
      if (!packages.has(f.packageName)) packages.set(f.packageName, rel);
      if (rel) packageDirs.add(rel);
    }
  }
  const files = new Set<string>([...modules.keys(), ...testFiles.keys()]);
  const base: LinkBase = {
    modules,
    testFiles,
    packages,
    packageDirs,
    resolver: new HandlerResolver(modules, new ModuleResolver(files, packages), (p) => base.problems.push(p)),
    problems: [],
    names: null,
  };
  return base;
}

export function createLinkContext(
  facts: ReadonlyMap<string, FileFacts>,
  base: LinkBase = createLinkBase(facts),
): LinkContext {
  const { modules, testFiles, packages, packageDirs, resolver } = base;
  const problems: IndexProblem[] = [];
  base.problems = problems;
  const definitionsNamed = (name: string): readonly SourceLocation[] => {
    base.names ??= new NameTable(modules);
    return base.names.get(name);
  };
  const packageDirOf = (file: string): string | null => {
    let dir = path.posix.dirname(file);
    while (dir !== '.' && dir !== '/' && dir !== '') {
      if (packageDirs.has(dir)) return dir;
      dir = path.posix.dirname(dir);
    }
    return null;
  };
  return { facts, modules, testFiles, packages, resolver, problems, packageDirOf, definitionsNamed };
}
