import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pkg, removeRepo, sequenceJson, writeRepo } from '../../test/fixtures/codebase/write-repo.js';
import { type CodeIndexState, indexCodebase } from './index-codebase.js';

// Two plugins sharing the handler name `a` (name references are scoped by package), an aggregating index
// with spreads, a function re-exported by shorthand, AC tags and name-only references.
const dir = writeRepo({
  'p/package.json': pkg('@x/p'),
  'p/json-sequences/index.json': { sequences: [{ file: 's.json', handlersPath: '@x/p' }] },
  'p/json-sequences/s.json': sequenceJson('P', 's', [
    ['p:a', 'a'],
    ['p:b', 'b'],
    ['p:c', 'c'],
  ]),
  'p/src/index.ts':
    "import { handlers as h1 } from './h1';\nimport { handlers as h2 } from './h2';\nexport const handlers = { ...h1, ...h2 };\n",
  'p/src/h1.ts': 'export const handlers = {\n  a() {},\n  b() {},\n};\n',
  'p/src/h2.ts': 'export function c() {}\nexport const handlers = { c };\n',
  'p/__tests__/h1.spec.ts':
    "import { it } from 'vitest';\nimport { handlers } from '../src/h1';\nit('a works', () => handlers.a());\n",
  'p/__tests__/names.spec.ts':
    "import { it } from 'vitest';\n/** @ac test-domain:s:1.2:1 */\nit('b and c', () => { b; c; });\n",
  'q/package.json': pkg('@x/q'),
  'q/json-sequences/index.json': { sequences: [{ file: 't.json', handlersPath: '@x/q' }] },
  'q/json-sequences/t.json': sequenceJson('Q', 't', [['q:a', 'a']]),
  'q/src/index.ts': 'export const handlers = {\n  a() {},\n};\n',
  'q/__tests__/q.spec.ts': "import { it } from 'vitest';\nit('q a', () => { a; });\n",
});
afterAll(() => removeRepo(dir));

let clock = Date.now();
const write = (rel: string, content: string | null): void => {
  const abs = path.join(dir, rel);
  if (content === null) {
    fs.rmSync(abs);
    return;
  }
  fs.writeFileSync(abs, content);
  // mtimes move forward in whole seconds so a same-size edit is never mistaken for an unchanged file.
  clock += 2_000;
  fs.utimesSync(abs, new Date(clock), new Date(clock));
};

/** Re-index from `prev` and check it equals a full index of the same tree. */
async function reindexEqualsFull(prev: CodeIndexState): Promise<CodeIndexState> {
  const next = await indexCodebase(dir, { previous: prev });
  const full = await indexCodebase(dir);
  expect(next.index).toStrictEqual(full.index);
  return next.state;
}

describe('incremental re-link', () => {
  it('after editing a handler module or a test file equals a full index', async () => {
    let state = (await indexCodebase(dir)).state;
    const tests = 3;
    expect(state.stats.testFilesLinked).toBe(tests);

    write('p/src/h1.ts', 'export const handlers = {\n  a() {},\n\n  b() {},\n};\n'); // moves b; q.spec keeps its links
    state = await reindexEqualsFull(state);
    expect(state.stats).toMatchObject({ parsed: 1 });
    expect(state.stats.testFilesLinked).toBeLessThan(tests);

    write('p/src/h2.ts', 'export function d() {}\nexport const handlers = { d };\n'); // c becomes unresolved
    state = await reindexEqualsFull(state);
    expect(state.stats.testFilesLinked).toBeLessThan(tests);

    write(
      'p/__tests__/names.spec.ts',
      "import { it } from 'vitest';\nit('b only', () => { b; });\nit('d', () => d);\n",
    );
    state = await reindexEqualsFull(state);
    expect(state.stats.testFilesLinked).toBe(1);

    state = await reindexEqualsFull(state); // nothing changed: everything replayed
    expect(state.stats.testFilesLinked).toBe(0);
  });

  it('after adding and deleting files equals a full index', async () => {
    let state = (await indexCodebase(dir)).state;
    write(
      'p/__tests__/added.spec.ts',
      "import { it } from 'vitest';\nimport { c } from '../src/h2';\nit('c', () => c());\n",
    );
    write('p/src/h2.ts', 'export function c() {}\nexport const handlers = { c };\n');
    state = await reindexEqualsFull(state);
    expect(state.stats.files).toBe(14);

    write('q/__tests__/q.spec.ts', null);
    write('p/src/h1.ts', null);
    state = await reindexEqualsFull(state);
    expect(state.stats.files).toBe(12);
  });

  it('a state passed twice is re-linked in full the second time, with the same result', async () => {
    const first = await indexCodebase(dir);
    const a = await indexCodebase(dir, { previous: first.state });
    const b = await indexCodebase(dir, { previous: first.state });
    expect(b.index).toStrictEqual(a.index);
    expect(a.state.stats.testFilesLinked).toBe(0);
    expect(b.state.stats.testFilesLinked).toBeGreaterThan(0);
  });
});

describe('incremental re-link through a renamed import', () => {
  const repo = writeRepo({
    'p/package.json': pkg('@x/p'),
    'p/json-sequences/index.json': { sequences: [{ file: 's.json', handlersPath: '@x/p' }] },
    'p/json-sequences/s.json': sequenceJson('P', 's', [['p:a', 'a']]),
    'p/src/index.ts': "import { handlers as h } from './h';\nexport const handlers = { ...h };\n",
    'p/src/h.ts': 'export function a() {}\nexport const handlers = { a };\n',
    'p/__tests__/r.spec.ts':
      "import { it } from 'vitest';\nimport { a as run } from '../src/h';\nit('r', () => run());\n",
  });
  afterAll(() => removeRepo(repo));

  it('relinks a test that reaches a handler only by its definition site when the handler comes and goes', async () => {
    // The test neither names `a` nor imports a module that changes: only the definition site it calls ties it.
    let state = (await indexCodebase(repo)).state;
    let at = Date.now() - 60_000;
    for (const text of [
      'export const handlers = {};\n',
      "import { handlers as h } from './h';\nexport const handlers = { ...h };\n",
    ]) {
      const abs = path.join(repo, 'p/src/index.ts');
      fs.writeFileSync(abs, text);
      at += 2_000;
      fs.utimesSync(abs, new Date(at), new Date(at));
      const next = await indexCodebase(repo, { previous: state });
      expect(next.index).toStrictEqual((await indexCodebase(repo)).index);
      state = next.state;
    }
    expect(state.stats.testFilesLinked).toBe(1);
  });
});

describe('incremental re-link with a re-export cycle', () => {
  const cyc = writeRepo({
    'c/package.json': pkg('@x/c'),
    'c/json-sequences/index.json': { sequences: [{ file: 's.json', handlersPath: '@x/c' }] },
    'c/json-sequences/s.json': sequenceJson('C', 's', [['c:a', 'a']]),
    'c/src/index.ts': "export * from './x';\n",
    'c/src/x.ts': "export * from './y';\n",
    'c/src/y.ts': "export * from './x';\nexport function other() {}\n",
    'c/__tests__/c.spec.ts': "import { it } from 'vitest';\nimport { a } from '../src/y';\nit('a', () => a());\n",
  });
  afterAll(() => removeRepo(cyc));

  it('falls back to a full link, with the same result and problems', async () => {
    const first = await indexCodebase(cyc);
    expect(first.index.problems.some((p) => p.message.startsWith('circular re-export'))).toBe(true);
    fs.writeFileSync(path.join(cyc, 'c/src/y.ts'), "export * from './x';\n\nexport function other() {}\n");
    const next = await indexCodebase(cyc, { previous: first.state });
    expect(next.index).toStrictEqual((await indexCodebase(cyc)).index);
  });
});
