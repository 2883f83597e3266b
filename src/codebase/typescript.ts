/**
 * The TypeScript compiler, loaded with `require`. Imported as an ES module, Node runs its CommonJS
 * named-export detection over the 9 MB file first, which took ~0.5 s of a CLI run on top of the ~0.2 s
 * compile (Node 20); `require` skips it. Types come from `import type TS from 'typescript'`.
 * Compiling the file is most of what is left. Node >= 22.1 can keep compiled code between runs
 * (`module.enableCompileCache`, which the CLI turns on); on older Node this module keeps V8's code cache for
 * this one file itself, in `node_modules/.cache/beatscope/` beside the package (skipped when that is not
 * writable, or with BEATSCOPE_NO_CODE_CACHE=1). V8 refuses a cache made by another V8 version, with other
 * flags or for other source, and the file is then compiled as usual and the cache rewritten.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type TS from 'typescript';

const require = createRequire(import.meta.url);

export const ts: typeof TS = load();

function load(): typeof TS {
  const native = (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== undefined;
  if (native || process.env['BEATSCOPE_NO_CODE_CACHE'] === '1') return require('typescript');
  const file = require.resolve('typescript');
  let source: string;
  try {
    const bytes = fs.readFileSync(file);
    // The file is ASCII; latin1 decodes that exactly and several times faster than utf8 (9 MB).
    source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch {
    return require('typescript');
  }
  const version = (require('typescript/package.json') as { version: string }).version;
  const cacheFile = path.join(
    path.dirname(path.dirname(path.dirname(file))),
    '.cache',
    'beatscope',
    `typescript-${version}-v8-${process.versions.v8}-${process.arch}.bin`,
  );
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(nodeModule.wrap(source), { filename: file, cachedData });
  const module = { exports: {} as typeof TS };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  if (cachedData === undefined || script.cachedDataRejected) {
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // read-only install: no cache, nothing else changes
    }
  }
  return module.exports;
}
