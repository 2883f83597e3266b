/**
 * Which files the indexer reads, by path alone, so the walker can skip everything else without a stat.
 * Test files are recognised by name (`*.spec|test.*`, `*.cy.ts`) or by folder (`__tests__/`, `tests/`,
 * `cypress/`, `e2e/`); they are parsed for test cases only, never as handler modules, so a helper defined in
 * a test never shadows the real handler in the repo-wide name search.
 */

export type FileKind = 'sequence-json' | 'package-json' | 'manifest-json' | 'test' | 'module';

const SCRIPT_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const TEST_NAME = /\.(spec|test)\.(ts|tsx|js)$|\.cy\.ts$/;
const TEST_DIRS = new Set(['__tests__', 'tests', 'cypress', 'e2e']);
const MANIFESTS = new Set(['plugin-manifest.json', 'topics-manifest.json', 'interaction-manifest.json']);

/** Directories never entered: dependencies, VCS data, build output. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist']);

/** What the folders above a file contribute to its kind; the walker carries it down instead of re-splitting paths. */
export interface DirClass {
  readonly inTestDir: boolean;
  readonly inJsonSequences: boolean;
}

export const ROOT_DIR_CLASS: DirClass = { inTestDir: false, inJsonSequences: false };

export function childDirClass(parent: DirClass, name: string): DirClass {
  const inTestDir = parent.inTestDir || TEST_DIRS.has(name);
  const inJsonSequences = parent.inJsonSequences || name === 'json-sequences';
  return inTestDir === parent.inTestDir && inJsonSequences === parent.inJsonSequences
    ? parent
    : { inTestDir, inJsonSequences };
}

/** Kind of the file `base` in a folder of class `dir`; null for files the index does not use. */
export function classifyIn(dir: DirClass, base: string): FileKind | null {
  if (base.endsWith('.json')) {
    if (base === 'package.json') return 'package-json';
    if (MANIFESTS.has(base)) return 'manifest-json';
    return dir.inJsonSequences ? 'sequence-json' : null;
  }
  if (!SCRIPT_EXT.test(base) || base.endsWith('.d.ts')) return null;
  if (TEST_NAME.test(base) || dir.inTestDir) return 'test';
  return 'module';
}

/** `rel` uses forward slashes. Returns null for files the index does not use. */
export function classifyPath(rel: string): FileKind | null {
  const parts = rel.split('/');
  let dir = ROOT_DIR_CLASS;
  for (let i = 0; i < parts.length - 1; i++) dir = childDirClass(dir, parts[i] ?? '');
  return classifyIn(dir, parts[parts.length - 1] ?? '');
}
