/**
 * Entering a log at a line found on its bytes gives the same lines, numbered the same, as reading it from its
 * start: on real consoles and on random files of every line end and content the reader handles (CRLF, bare CR,
 * CR then TAB, multi-byte and invalid UTF-8, control bytes, NUL lines, lines cut for length), with reads of a few
 * bytes so that line ends fall across them.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReadOptions, readFirstLines, readLinesFrom } from './line-reader.js';
import { findLineStart } from './line-starts.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-line-starts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Line = [text: string, line: number, bad: boolean];

/** Lines `first..last` read from the file's start. */
async function fromStart(path: string, first: number, last: number, options?: ReadOptions): Promise<Line[]> {
  const out: Line[] = [];
  await readFirstLines(path, last, (text, line, bad) => line >= first && out.push([text, line, bad === true]), options);
  return out;
}

/** The same lines, entered at `first` found on the bytes; undefined when the scan leaves it to the reader. */
async function entered(
  path: string,
  first: number,
  last: number,
  blockBytes?: number,
  options?: ReadOptions,
): Promise<Line[] | undefined> {
  const at = await findLineStart(path, first, blockBytes);
  if (at === undefined) return undefined;
  const out: Line[] = [];
  await readLinesFrom(path, at, last, (text, line, bad) => out.push([text, line, bad === true]), options);
  return out;
}

describe('findLineStart', () => {
  it('enters real consoles at any line as reading them from the start does', async () => {
    const logs = [
      'chrome-console/iso-beat-headers-filtered.log',
      'dom-app/logs/localhost-1795000000000.log',
      'corpus/logs/chrome-saved-empty-location.sample-telemetry.log',
      'corpus/logs/dotnet-mel-console.app-output.log',
    ];
    for (const log of logs) {
      const path = join(FIXTURES, log);
      const total = (await readFile(path, 'utf8')).split(/\r\n|\r(?!\t)|\n/).length;
      expect(total).toBeGreaterThan(50);
      for (const first of [3, Math.floor(total / 3), Math.floor(total / 2), total - 2]) {
        const want = await fromStart(path, first, first + 2);
        expect(await entered(path, first, first + 2)).toEqual(want);
        expect(await entered(path, first, first + 2, 64)).toEqual(want);
      }
    }
  });

  it('the line it gives starts after the lines before it, for every line end the reader knows', async () => {
    await writeFile(join(dir, 'ends.log'), 'first line of text\r\nb\rc\r\td\ne\r\r\nf\r');
    const path = join(dir, 'ends.log');
    // Lines: "first line of text", "b", "c\r\td", "e", "", "f".
    const starts = [];
    for (let line = 2; line <= 6; line++) starts.push((await findLineStart(path, line))?.start);
    expect(starts).toEqual([20, 22, 27, 29, 31]);
    expect(await findLineStart(path, 7)).toMatchObject({ start: 33 }); // one past the last line: the file's end
    expect(await findLineStart(path, 8)).toBeUndefined();
  });

  it('leaves a file whose lines before the one asked prove nothing to the reader', async () => {
    await writeFile(join(dir, 'short.log'), 'a\nb\u0001cdefghij\nlong enough line\n');
    const path = join(dir, 'short.log');
    expect(await findLineStart(path, 3)).toBeUndefined();
    expect(await findLineStart(path, 4)).toMatchObject({ lines: 3, proven: true });
  });

  const piece = fc.oneof(
    fc.constantFrom('beat', 'Sequence started', '🎵 Beat 1', 'é', '漢字', ' ', '\t', '\r\t', '\u0001', '\u001b[0m'),
    fc.stringMatching(/^[a-z ]{0,24}$/),
  );
  const rawLine = fc.oneof(
    { weight: 8, arbitrary: fc.array(piece, { maxLength: 6 }).map((parts) => Buffer.from(parts.join(''), 'utf8')) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.from([0, 0, 0]), Buffer.from([0xff, 0x41]), Buffer.from([0xc3])) },
    { weight: 1, arbitrary: fc.integer({ min: 60, max: 200 }).map((n) => Buffer.from('x'.repeat(n))) },
  );
  const ending = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');
  const file = fc.tuple(
    fc.boolean(),
    fc.array(fc.tuple(rawLine, ending), { minLength: 2, maxLength: 40 }),
    fc.boolean(),
  );

  it('enters random files at any line as reading them from the start does, across reads of any size', async () => {
    let entries = 0;
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.integer({ min: 1, max: 9 }),
        fc.nat(),
        async ([proofFirst, lines, lastEnds], blockBytes, pick) => {
          const parts = lines.flatMap(([bytes, end]) => [bytes, Buffer.from(end)]);
          if (proofFirst) parts.unshift(Buffer.from('2026-11-20T09:00:00.000Z app started\n'));
          if (!lastEnds) parts.pop();
          const path = join(dir, 'random.log');
          await writeFile(path, Buffer.concat(parts));
          const count = lines.length + (proofFirst ? 1 : 0);
          const first = 2 + (pick % (count - 1));
          // Cut lines too: the long lines above pass this limit.
          const options = { maxLineChars: 50, keepChars: 20 };
          const want = await fromStart(path, first, first + 1, options);
          const got = await entered(path, first, first + 1, blockBytes, options);
          if (got === undefined) return;
          entries++;
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
    // Most random files begin with a proof line: the scan must have entered them, not left them all to the reader.
    expect(entries).toBeGreaterThan(100);
  });
});
