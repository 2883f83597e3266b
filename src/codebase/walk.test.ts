import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeRepo, writeRepo } from '../../test/fixtures/codebase/write-repo.js';
import { settled, walkRepo } from './walk.js';

const dir = writeRepo({
  'a/src/one.ts': 'export const one = 1;\n',
  'a/src/two.ts': 'export const two = 2;\n',
  'a/__tests__/one.spec.ts': "it('one', () => 1);\n",
  'b/index.ts': 'export {};\n',
});
afterAll(() => removeRepo(dir));

/** Gives every folder an mtime an hour old, so its listing counts as settled. */
function ageFolders(): void {
  const old = new Date(Date.now() - 3_600_000);
  const visit = (abs: string): void => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) if (e.isDirectory()) visit(path.join(abs, e.name));
    fs.utimesSync(abs, old, old);
  };
  visit(dir);
}

const walk = (previous?: ReturnType<typeof walkRepo>['listings']) => {
  const files: string[] = [];
  const r = walkRepo(dir, (f) => files.push(`${f.rel} ${f.kind}`), { previous });
  return { files, listings: r.listings, problems: r.problems };
};

describe('walk', () => {
  it('reuses the listings of unchanged folders and reads again the ones that changed', () => {
    ageFolders();
    const first = walk();
    const again = walk(first.listings);
    expect(again.files).toStrictEqual(first.files);
    for (const [abs, listing] of again.listings) expect(listing, abs).toBe(first.listings.get(abs));

    fs.writeFileSync(path.join(dir, 'a/src/three.ts'), 'export const three = 3;\n'); // a/src's mtime moves
    const third = walk(again.listings);
    expect(third.files).toStrictEqual([
      'a/__tests__/one.spec.ts test',
      'a/src/one.ts module',
      'a/src/three.ts module',
      'a/src/two.ts module',
      'b/index.ts module',
    ]);
    expect(third.listings.get(path.join(dir, 'a/src'))).not.toBe(again.listings.get(path.join(dir, 'a/src')));
    expect(third.listings.get(path.join(dir, 'b'))).toBe(again.listings.get(path.join(dir, 'b')));
  });

  it('reads a folder again when it changed too close to its listing to trust its mtime', () => {
    const now = new Date();
    fs.utimesSync(path.join(dir, 'b'), now, now); // as if an entry was just added
    const fresh = walk();
    expect(walk(fresh.listings).listings.get(path.join(dir, 'b'))).not.toBe(fresh.listings.get(path.join(dir, 'b')));
  });
});

describe('settled', () => {
  it('trusts an mtime only once the file system clock has moved past it', () => {
    const now = 1_800_000_000_000;
    expect(settled(now - 10_000.5, now)).toBe(true);
    expect(settled(now - 10.5, now)).toBe(false); // same coarse tick as the read, maybe
    expect(settled(now + 5_000.5, now)).toBe(false); // from the future
    expect(settled(now - 1_000, now)).toBe(false); // whole seconds: a 1-2 s resolution file system
    expect(settled(now - 3_000, now)).toBe(true);
  });
});
