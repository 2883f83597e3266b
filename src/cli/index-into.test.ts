/**
 * `beatscope index` run again as a new process would: a fresh store instance each time, the state read back
 * from DuckDB with its facts loaded on demand. After an edit, an added file and a removed file the result must
 * equal a full index of the same tree, and only the changed files' blobs may be rewritten.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pkg, removeRepo, sequenceJson, writeRepo } from '../../test/fixtures/codebase/write-repo.js';
import { indexCodebase } from '../codebase/index.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { indexInto } from './index-into.js';

const repo = writeRepo({
  'p/package.json': pkg('@x/p'),
  'p/json-sequences/index.json': { sequences: [{ file: 's.json', handlersPath: '@x/p' }] },
  'p/json-sequences/s.json': {
    ...sequenceJson('P', 's', [
      ['p:a', 'a'],
      ['p:b', 'b'],
    ]),
  },
  'p/src/index.ts':
    "import { handlers as h1 } from './h1';\nimport { handlers as h2 } from './h2';\nexport const handlers = { ...h1, ...h2 };\n",
  'p/src/h1.ts': 'export const handlers = {\n  a() {},\n};\n',
  'p/src/h2.ts': 'export function b() {}\nexport const handlers = { b };\n',
  'p/__tests__/h1.spec.ts':
    "import { it } from 'vitest';\nimport { handlers } from '../src/h1';\nit('a works', () => handlers.a());\n",
  'p/__tests__/names.spec.ts': "import { it } from 'vitest';\nit('b is named', () => { b; });\n",
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beatscope-index-into-'));
const db = path.join(dir, 'store.duckdb');
afterAll(() => {
  removeRepo(repo);
  fs.rmSync(dir, { recursive: true, force: true });
});

let clock = Date.now() - 600_000;
const write = (rel: string, text: string | null): void => {
  const abs = path.join(repo, rel);
  if (text === null) fs.rmSync(abs);
  else {
    fs.writeFileSync(abs, text);
    clock += 2_000;
    fs.utimesSync(abs, new Date(clock), new Date(clock));
  }
};

/** One `beatscope index` run: open the store, index into it, close it. */
async function run() {
  const store = await DuckDbStore.open(db);
  try {
    const { index, state } = await indexInto(store, repo);
    const blobs = await store.query('SELECT path FROM code_files ORDER BY path');
    return { index, stats: state.stats, blobs: blobs.map((r) => r['path']) };
  } finally {
    await store.close();
  }
}

describe('indexInto across processes', () => {
  it('equals a full index after an edit, an added file and a removed file', async () => {
    const first = await run();
    expect(first.stats).toMatchObject({ files: 8, parsed: 8 });
    expect(first.index).toStrictEqual((await indexCodebase(repo)).index);
    expect(first.blobs).toHaveLength(8);

    write('p/src/h1.ts', 'export const handlers = {\n\n  a() {},\n};\n'); // moves `a`
    const edited = await run();
    expect(edited.stats).toMatchObject({ parsed: 1, reused: 7 });
    expect(edited.stats.testFilesLinked).toBe(1);
    expect(edited.index).toStrictEqual((await indexCodebase(repo)).index);
    expect(edited.index.handlers.find((h) => h.handler === 'a')?.location?.line).toBe(3);

    write(
      'p/__tests__/added.spec.ts',
      "import { it } from 'vitest';\nimport { b } from '../src/h2';\nit('b', () => b());\n",
    );
    const added = await run();
    expect(added.stats).toMatchObject({ files: 9, parsed: 1 });
    expect(added.index).toStrictEqual((await indexCodebase(repo)).index);
    expect(added.blobs).toHaveLength(9);

    write('p/__tests__/names.spec.ts', null);
    const removed = await run();
    expect(removed.stats).toMatchObject({ files: 8, parsed: 0 });
    expect(removed.index).toStrictEqual((await indexCodebase(repo)).index);
    expect(removed.blobs).not.toContain('p/__tests__/names.spec.ts');

    const unchanged = await run();
    expect(unchanged.stats).toMatchObject({ parsed: 0, testFilesLinked: 0 });
    expect(unchanged.index).toStrictEqual(removed.index);
  });

  it('indexes in full when the stored state is of another format', async () => {
    const store = await DuckDbStore.open(db);
    try {
      const stored = await store.loadCodeIndex();
      await store.saveCodeIndex({ ...stored!, state: { version: 1, files: {} } });
      const { state } = await indexInto(store, repo);
      expect(state.stats.parsed).toBe(state.stats.files);
    } finally {
      await store.close();
    }
  });
});
