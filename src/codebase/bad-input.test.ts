/** Bad input is reported as problems with its path; indexing goes on. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkg, removeRepo, sequenceJson, writeRepo } from '../../test/fixtures/codebase/write-repo.js';
import type { CodeIndex } from '../model/code-index.js';
import { indexCodebase } from './index-codebase.js';

let dir: string;
let index: CodeIndex;
const problemsOf = (file: string) => index.problems.filter((p) => p.file === file);

beforeAll(async () => {
  dir = writeRepo({
    'p/package.json': pkg('@x/p'),
    'p/json-sequences/index.json': { sequences: [{ file: 'good.json', handlersPath: '@x/p' }] },
    'p/json-sequences/good.json': sequenceJson('P', 'good', [['p:go', 'go']]),
    'p/json-sequences/broken.json': '{ "id": "broken", "movements": [ { "beats": [ }',
    'p/json-sequences/no-movements.json': {
      id: 'no-movements',
      name: 'No Movements',
      beats: [{ beat: 1, event: 'x' }],
    },
    'p/json-sequences/package.json': pkg('quietly-skipped'),
    'p/json-sequences/tsconfig.json': { compilerOptions: { strict: true } },
    'p/src/index.ts': 'export const handlers = { go() {} };\n',
    'p/src/broken.ts': 'export const = {{ oops\nexport function fine() {}\n',
    'node_modules/dep/json-sequences/ignored.json': '{ not json',
    'dist/json-sequences/ignored.json': '{ not json',
  });
  fs.symlinkSync('..', path.join(dir, 'p', 'loop'));
  fs.symlinkSync('self', path.join(dir, 'self'));
  fs.writeFileSync(path.join(dir, 'p/src/generated.ts'), Buffer.alloc(50 * 1024 * 1024, 0x20));
  index = (await indexCodebase(dir)).index;
});
afterAll(() => removeRepo(dir));

describe('bad input', () => {
  it('keeps indexing the good files', () => {
    expect(index.sequences.map((s) => s.id)).toEqual(['good']);
    expect(index.handlers[0]!.location).toEqual({ file: 'p/src/index.ts', line: 1, column: 27 });
  });

  it('reports malformed JSON with its path and line', () => {
    expect(problemsOf('p/json-sequences/broken.json')).toEqual([
      expect.objectContaining({ severity: 'error', line: 1, message: expect.stringMatching(/^malformed JSON: /) }),
    ]);
  });

  it('reports a sequence without movements, but not package.json / tsconfig.json in json-sequences', () => {
    expect(problemsOf('p/json-sequences/no-movements.json')).toEqual([
      {
        file: 'p/json-sequences/no-movements.json',
        line: 1,
        severity: 'error',
        message: 'sequence "no-movements" has no movements; skipped',
      },
    ]);
    expect(problemsOf('p/json-sequences/package.json')).toEqual([]);
    expect(problemsOf('p/json-sequences/tsconfig.json')).toEqual([]);
  });

  it('reports TypeScript syntax errors from parseDiagnostics', () => {
    const ps = problemsOf('p/src/broken.ts');
    expect(ps.length).toBeGreaterThan(0);
    expect(ps[0]).toMatchObject({
      line: 1,
      severity: 'error',
      message: expect.stringMatching(/^TypeScript syntax error: /),
    });
  });

  it('reports symlink loops and terminates', () => {
    expect(problemsOf('p/loop')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^symlink loop: points back/) }),
    ]);
    expect(problemsOf('self')).toEqual([expect.objectContaining({ message: 'symlink loop: link resolves to itself' })]);
  });

  it('skips a 50 MB generated file with a problem, and never enters node_modules or dist', () => {
    expect(problemsOf('p/src/generated.ts')).toEqual([
      expect.objectContaining({ severity: 'warning', message: 'file skipped: 50.0 MB exceeds the 5 MB limit' }),
    ]);
    expect(index.problems.some((p) => p.file.startsWith('node_modules') || p.file.startsWith('dist'))).toBe(false);
  });
});
