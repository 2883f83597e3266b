/**
 * A user's clone holds only this repository: no source or test may reach a sibling checkout
 * (the team's shared corpus and references live in `../shared`, which users do not have).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
/** A sibling checkout, by relative path or by the team machine's absolute paths. */
const NEEDLES = ['../shared', '/shared/corpus', '/shared/reference'];
const SCANNED_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs|json)$/;

/** Every scanned file under `dir`, fixtures excluded: they are data, and real logs may print any path. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== join(ROOT, 'test/fixtures')) out.push(...sourceFiles(full));
    } else if (SCANNED_EXTENSIONS.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

describe('the repository is self-contained', () => {
  const files = ['src', 'test', 'scripts'].flatMap((d) => sourceFiles(join(ROOT, d)));

  it('scans the sources and tests (a guard over no files would pass for nothing)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain(join(ROOT, 'test/ingest/corpus-ingest.test.ts'));
  });

  it(`no file under src/, test/ or scripts/ refers to ${NEEDLES.join(' or ')}`, () => {
    const offenders = files
      .filter((f) => f !== import.meta.filename && NEEDLES.some((n) => readFileSync(f, 'utf8').includes(n)))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
