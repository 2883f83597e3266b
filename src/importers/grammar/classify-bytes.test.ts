/**
 * Lines classified from their bytes (classify-bytes.ts: DataBaton diffs and four beat lines) give the grammar's
 * event exactly, or leave the line to it: every line of the real Chrome consoles in test/fixtures, then random
 * messages built from each shape's parts with the characters that could cut it elsewhere (spaces, tabs,
 * markers and parentheses inside values, `%c`, CSS-like ends, non-ASCII, odd numbers).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteNames } from '../byte-names.js';
import { parseChromeLine } from '../chrome-console.js';
import { stripStyling } from '../envelope-helpers.js';
import { textStart } from './byte-scan.js';
import { classifyMessage } from './classify.js';
import { classifyText } from './classify-bytes.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FILES = [
  'test/fixtures/chrome-console/iso-beat-headers-filtered.log',
  'test/fixtures/chrome-console/e2-per-source-location.log',
  'test/fixtures/corpus/logs/chrome-per-source-location.devtools-transcript.log',
  'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log',
];

/** The events the byte path makes. */
const KINDS = new Set(['baton', 'beat-start', 'beat-executing', 'beat-timing', 'beat-complete']);

/** What the byte path makes of a message (the bytes after the envelope), beside what the grammar makes of it. */
function both(message: string, names = new ByteNames()) {
  const bytes = Buffer.from(message, 'utf8');
  const t = textStart(bytes, 0, bytes.length);
  const fast = t < 0 ? undefined : classifyText(bytes, t, bytes.length, names);
  return { fast, slow: classifyMessage(stripStyling(message)) };
}

describe('classifyBytes', () => {
  it('reads every line of real consoles as the grammar does, or leaves it to the grammar', () => {
    const names = new ByteNames();
    const read = new Map<string, number>();
    for (const file of FILES) {
      for (const line of readFileSync(join(ROOT, file), 'utf8').split('\n')) {
        const message = parseChromeLine(line)?.message;
        if (message === undefined) continue;
        const { fast, slow } = both(message, names);
        // Every such line of these consoles is plain: each is read from its bytes.
        if (slow === undefined || !KINDS.has(slow.kind)) expect(fast).toBeUndefined();
        else {
          expect(fast).toStrictEqual(slow);
          read.set(slow.kind, (read.get(slow.kind) ?? 0) + 1);
        }
      }
    }
    expect(Object.fromEntries(read)).toEqual({
      baton: 144,
      'beat-start': 11,
      'beat-executing': 74,
      'beat-timing': 73,
      'beat-complete': 74,
    });
  });

  it('gives the grammar’s event or leaves the line to it, for random messages of the shape', () => {
    const piece = fc.oneof(
      { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9:._-]{1,12}$/) },
      fc.constantFrom(
        ' ',
        '\t',
        '?',
        ' | seq=',
        ' beat=',
        ' event=',
        ' handler=',
        ' plugin=',
        ' req=',
        ' preview=',
        '%c',
        ';',
        'é',
        '{"a":1}',
        '+a,b',
        '~c',
        '-d',
        'No changes',
      ),
    );
    const part = fc.array(piece, { maxLength: 4 }).map((p) => p.join(''));
    const icon = fc.constantFrom('🎽 ', '', '  ', '?? ', '%c🎽 ', '🎽 [JS] ');
    const tail = fc.oneof(
      fc.constant(''),
      fc.tuple(part, part, part).map(([p, r, v]) => ` plugin=${p} req=${r} preview=${v}`),
      part,
    );
    const baton = fc
      .tuple(icon, part, part, part, part, part, tail)
      .map(([i, d, s, b, e, h, t]) => `${i}DataBaton: ${d} | seq=${s} beat=${b} event=${e} handler=${h}${t}`);
    // Numbers as printed and not: digits, decimals, leading zeros, 16+ digits, stray dots and signs.
    const number = fc.oneof(
      fc.nat().map(String),
      fc.tuple(fc.nat(9999), fc.nat(99)).map(([a, b]) => `${a}.${b}`),
      fc.constantFrom('007', '0.50', '12345678901234567', '1234567890123.4567', '1.2.3', '.5', '5.', '-1', '1e3', ''),
    );
    const words = fc.oneof(part, fc.constantFrom('(x)', 'a (b', 'b) c', ') completed in 3ms', ' (', ')'));
    const beatLines = fc.oneof(
      fc
        .tuple(icon, number, number, number)
        .map(([i, a, b, c]) => `${i}MovementExecutor: Executing beat ${a} (${b}/${c})`),
      fc.tuple(icon, number, number).map(([i, a, b]) => `${i}PerformanceTracker: Beat ${a} completed in ${b}ms`),
      fc
        .tuple(icon, number, words, number)
        .map(([i, a, e, b]) => `${i}BeatExecutor: Beat ${a} (${e}) completed in ${b}ms`),
      fc.tuple(icon, number, words, words).map(([i, a, t, e]) => `${i}Beat ${a} Started: ${t} (${e})`),
      fc.tuple(icon, number, words, words).map(([i, a, t, e]) => `${i}Beat ${a} Started: ${t}(${e})`),
      fc.tuple(icon, words, words).map(([i, a, b]) => `${i}${a}${b}`),
    );
    const message = fc.oneof(baton, beatLines);
    let read = 0;
    fc.assert(
      fc.property(message, (m) => {
        const { fast, slow } = both(m);
        if (fast !== undefined) {
          read++;
          expect(fast).toStrictEqual(slow);
        }
      }),
      { numRuns: 6000 },
    );
    expect(read).toBeGreaterThan(500);
  });

  it('reads the shapes the framework prints, names shared between lines', () => {
    const names = new ByteNames();
    const a = both(
      '🎽 DataBaton: +terms,results ~query | seq=Library Search beat=? event=library:search handler=searchLibrary plugin=LibraryPlugin req=library-search-symphony-1-abc preview={"terms":["a"]}',
      names,
    );
    expect(a.fast).toStrictEqual(a.slow);
    expect(a.fast).toMatchObject({ level: 'handler', change: { added: ['terms', 'results'], updated: ['query'] } });
    const b = both('🎽 DataBaton: No changes | seq=Library Search beat=3 event=library:search handler=?', names);
    expect(b.fast).toStrictEqual(b.slow);
    expect(b.fast).toMatchObject({ level: 'beat', beat: 3, sequence: 'Library Search' });
    expect((b.fast as { sequence: string }).sequence).toBe((a.fast as { sequence: string }).sequence);
  });
});

describe('ByteNames', () => {
  it('gives one string per distinct value, and keeps its own copy of the bytes (read buffers are reused)', () => {
    const names = new ByteNames();
    const block = Buffer.from('seq=Library Aa|');
    expect(names.get(block, 4, 14)).toBe('Library Aa');
    expect(names.get(Buffer.from('Library Aa'), 0, 10)).toBe('Library Aa');
    // The next block read into the same buffer, with a value of the same hash ("Aa" and "BB" collide).
    block.write('Library BB', 4, 'latin1');
    expect(names.get(Buffer.from('Library BB'), 0, 10)).toBe('Library BB');
    expect(names.get(block, 4, 14)).toBe('Library BB');
  });
});
