/**
 * Import specifier → indexed file, the way a TS/Vite monorepo resolves them, without reading tsconfig:
 * relative specifiers (`./x`, `./x.js` → `x.ts`, `x/index.ts`) and workspace packages by their
 * `package.json` name (`@scope/pkg` → `<dir>/src/index.ts`; deep `@scope/pkg/a/b` → `<dir>/src/a/b.ts`).
 * Third-party packages are not in the index and resolve to null.
 */
import path from 'node:path';

const EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_TO_TS: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

export class ModuleResolver {
  /** Package names longest first, so `@a/b-c` is tried before `@a/b`. */
  private readonly names: string[];
  /** `dir\0specifier` → file: the tests of one folder import the same modules over and over. */
  private readonly cache = new Map<string, string | null>();

  constructor(
    private readonly files: ReadonlySet<string>,
    private readonly packages: ReadonlyMap<string, string>,
  ) {
    this.names = [...packages.keys()].sort((a, b) => b.length - a.length);
  }

  /** Directory (root-relative, '' for the root) of a workspace package. */
  packageDir(name: string): string | undefined {
    return this.packages.get(name);
  }

  resolve(fromFile: string, specifier: string): string | null {
    const relative = specifier.startsWith('.') || specifier.startsWith('/');
    const dir = relative ? path.posix.dirname(fromFile) : '';
    const key = `${dir}\u0000${specifier}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = relative
        ? this.probe(path.posix.normalize(path.posix.join(dir, specifier)))
        : this.resolvePackage(specifier);
      this.cache.set(key, hit);
    }
    return hit;
  }

  resolvePackage(specifier: string): string | null {
    for (const name of this.names) {
      if (specifier !== name && !specifier.startsWith(`${name}/`)) continue;
      const dir = this.packages.get(name)!;
      const join = (...parts: string[]): string => path.posix.join(dir || '.', ...parts).replace(/^\.\//, '');
      const rest = specifier.slice(name.length + 1);
      const bases = rest ? [join('src', rest), join(rest)] : [join('src/index'), join('index'), join('lib/index')];
      for (const b of bases) {
        const hit = this.probe(b);
        if (hit) return hit;
      }
      return null;
    }
    return null;
  }

  private probe(base: string): string | null {
    const clean = base.replace(/^\.\//, '');
    const ext = path.posix.extname(clean);
    if (this.files.has(clean) && EXTS.includes(ext)) return clean;
    const swaps = JS_TO_TS[ext];
    if (swaps) {
      const stem = clean.slice(0, -ext.length);
      for (const s of swaps) if (this.files.has(stem + s)) return stem + s;
    }
    for (const e of EXTS) if (this.files.has(clean + e)) return clean + e;
    for (const e of EXTS) if (this.files.has(`${clean}/index${e}`)) return `${clean}/index${e}`;
    return null;
  }
}
