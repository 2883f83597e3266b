/**
 * Random spoiling of real console lines (test/fixtures/chrome-console): lines picked, repeated and
 * reordered, some cut short, some given a NUL or an invalid UTF-8 byte. Whatever the mix, the file is
 * read to its end, every untouched line parses exactly as it does in the same file without the
 * spoiling, and each spoiled line gets exactly one diagnostic, at its own line number.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/importers/import-file.js';
import { parseFile } from '../../src/ingest/parse-file.js';

const dir = mkdtempSync(join(tmpdir(), 'beatscope-bad-lines-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines that open a record (`File.ts:NN …`), so cutting or spoiling one never changes its neighbours. */
const POOL = ['e1-location-iso.log', 'e2-per-source-location.log', 'e5-other-locations.log'].flatMap((f) =>
  readFileSync(new URL(`../fixtures/chrome-console/${f}`, import.meta.url), 'utf8')
    .split('\n')
    // `▶ {…}` lines are Chrome's expanded objects: continuations of the record before them.
    .filter((l) => /^[\w.-]+\.(?:ts|js):\d+ \S/.test(l) && !/^\S+ [▶▼]/.test(l)),
);

type Spoil = 'none' | 'nul' | 'invalid-utf8';

const lineArb = fc.record({
  text: fc.constantFrom(...POOL),
  /** Cut the line to this share of its message (1 = whole); the location prefix is always kept. */
  keep: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  spoil: fc.constantFrom<Spoil>('none', 'none', 'none', 'nul', 'invalid-utf8'),
  /** Where in the line the NUL goes, as a share of its length. */
  at: fc.double({ min: 0, max: 1, noNaN: true }),
});

function cut(text: string, keep: number): string {
  const prefix = text.indexOf(' ') + 1;
  const chars = [...text.slice(prefix)];
  return text.slice(0, prefix) + chars.slice(0, Math.max(1, Math.round(chars.length * keep))).join('');
}

function bytesOf(text: string, spoil: Spoil, at: number): Buffer {
  const b = Buffer.from(text);
  if (spoil === 'nul') {
    // Inside the ASCII location prefix or at the end: never inside a multi-byte character.
    const space = text.indexOf(' ');
    const pos = at < 0.5 ? Math.floor(at * 2 * space) : b.length;
    return Buffer.concat([b.subarray(0, pos), Buffer.from([0]), b.subarray(pos)]);
  }
  // An invalid byte at the end: the message changes, the envelope does not.
  if (spoil === 'invalid-utf8') return Buffer.concat([b, Buffer.from([0xff])]);
  return b;
}

let run = 0;

describe('spoiled lines of real consoles', () => {
  it('cost one line and one diagnostic each, and nothing else', async () => {
    expect(POOL.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(lineArb, { minLength: 2, maxLength: 40 })
          // Text must prove itself before too many binary lines (see line-reader): keep the first line clean
          // and the spoiled ones fewer than the held-line limit, and invalid UTF-8 lines within the first five reported.
          .filter(
            (ls) =>
              ls[0]!.spoil === 'none' &&
              ls.filter((l) => l.spoil === 'nul').length <= 6 &&
              ls.filter((l) => l.spoil === 'invalid-utf8').length <= 5,
          ),
        async (lines) => {
          run++;
          const texts = lines.map((l) => cut(l.text, l.keep));
          const cleanPath = join(dir, `clean-${run}.log`);
          const badPath = join(dir, `bad-${run}.log`);
          writeFileSync(cleanPath, `${texts.join('\n')}\n`);
          writeFileSync(
            badPath,
            Buffer.concat(lines.flatMap((l, i) => [bytesOf(texts[i]!, l.spoil, l.at), Buffer.from('\n')])),
          );
          const chrome = (await importFile(cleanPath)).importer;
          const clean = await importFile(cleanPath, chrome);
          const bad = await importFile(badPath, chrome);
          const spoiled = new Set(lines.flatMap((l, i) => (l.spoil === 'none' ? [] : [i + 1])));

          expect(bad.read).toMatchObject({ lines: lines.length, complete: true });
          // Every untouched line: the same records and unknown lines as without the spoiling.
          const keep = <T extends { line: number }>(xs: readonly T[]) => xs.filter((x) => !spoiled.has(x.line));
          expect(keep(bad.records)).toEqual(keep(clean.records));
          expect(keep(bad.unknown)).toEqual(keep(clean.unknown));
          // Each spoiled line: exactly one diagnostic, at its line; NUL lines are unknown lines.
          const byLine = new Map<number, string[]>();
          for (const d of bad.diagnostics) byLine.set(d.line, [...(byLine.get(d.line) ?? []), d.message]);
          expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([...spoiled].sort((a, b) => a - b));
          for (const [i, l] of lines.entries()) {
            if (l.spoil === 'none') continue;
            const said = byLine.get(i + 1)!;
            expect(said).toHaveLength(1);
            expect(said[0]).toMatch(l.spoil === 'nul' ? /^binary content at line \d+;/ : /^invalid UTF-8 at line \d+:/);
            if (l.spoil === 'nul') expect(bad.unknown.map((u) => u.line)).toContain(i + 1);
          }
          // The whole pipeline (classification, trace building) takes the file too.
          const parsed = await parseFile(badPath, `f${run}`, () => undefined);
          expect(parsed.complete).toBe(true);
          expect(parsed.info.lines).toBe(lines.length);
        },
      ),
      { numRuns: 80 },
    );
  }, 60_000);
});
