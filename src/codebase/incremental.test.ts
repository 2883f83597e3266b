import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pkg, removeRepo, sequenceJson, writeRepo } from '../../test/fixtures/codebase/write-repo.js';
import { indexCodebase } from './index-codebase.js';

const dir = writeRepo({
  'p/package.json': pkg('@x/p'),
  'p/json-sequences/index.json': { sequences: [{ file: 's.json', handlersPath: '@x/p' }] },
  'p/json-sequences/s.json': sequenceJson('P', 's', [['p:a', 'a']]),
  'p/src/index.ts': "export { handlers } from './h';\n",
  'p/src/h.ts': 'export const handlers = {\n  a() {},\n};\n',
  'p/__tests__/h.spec.ts':
    "import { it } from 'vitest';\nimport { handlers } from '../src/h';\nit('a works', () => handlers.a());\n",
});
afterAll(() => removeRepo(dir));

const touch = (rel: string, content?: string): void => {
  const abs = path.join(dir, rel);
  if (content !== undefined) fs.writeFileSync(abs, content);
  const later = new Date(Date.now() + 5_000);
  fs.utimesSync(abs, later, later);
};

describe('incremental indexing', () => {
  it('re-parses only changed files and relinks over cached facts', async () => {
    const first = await indexCodebase(dir);
    expect(first.state.stats).toMatchObject({ files: 6, parsed: 6, reused: 0 });
    expect(first.index.handlers[0]!.location).toEqual({ file: 'p/src/h.ts', line: 2, column: 3 });

    const same = await indexCodebase(dir, { previous: first.state });
    expect(same.state.stats).toMatchObject({ parsed: 0, reused: 6 });
    expect(same.index).toEqual(first.index);

    touch('p/src/h.ts'); // new mtime, same content: hash matches, no parse
    const touched = await indexCodebase(dir, { previous: same.state });
    expect(touched.state.stats).toMatchObject({ parsed: 0, reused: 6 });

    touch('p/src/h.ts', 'export const handlers = {\n\n  a() {},\n};\n');
    const edited = await indexCodebase(dir, { previous: touched.state });
    expect(edited.state.stats).toMatchObject({ parsed: 1, reused: 5 });
    expect(edited.index.handlers[0]!.location).toEqual({ file: 'p/src/h.ts', line: 3, column: 3 });
    expect(edited.index.handlers[0]!.tests.map((t) => t.evidence)).toEqual(['import-call']);
  });

  it('re-reads the payload keys of a handler whose file changed at the same location', async () => {
    touch('p/src/h.ts', 'export const handlers = {\n  a(_d, ctx) { ctx.payload.x = ctx.payload.y; },\n};\n');
    const first = await indexCodebase(dir);
    expect(first.index.handlers[0]!.payload).toEqual({
      reads: [{ key: 'y', line: 2 }],
      writes: [{ key: 'x', line: 2, op: 'set' }],
      dynamic: [],
    });
    touch('p/src/h.ts', 'export const handlers = {\n  a(_d, ctx) { ctx.payload.x = ctx.payload.z; },\n};\n');
    const edited = await indexCodebase(dir, { previous: first.state });
    expect(edited.state.stats).toMatchObject({ parsed: 1 });
    expect(edited.index).toEqual((await indexCodebase(dir)).index);
    expect(edited.index.handlers[0]!.payload?.reads).toEqual([{ key: 'z', line: 2 }]);
  });

  it('ignores a previous state from another root', async () => {
    const first = await indexCodebase(dir);
    const other = await indexCodebase(dir, { previous: { ...first.state, root: '/elsewhere' } });
    expect(other.state.stats.parsed).toBe(6);
  });
});
