import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { contentDigest, hashFile } from './file-hash.js';
import { detectEncoding, openLines, readLines } from './line-reader.js';

const dir = mkdtempSync(path.join(tmpdir(), 'beatscope-line-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function collect(p: string, options = {}) {
  const lines: string[] = [];
  const numbers: number[] = [];
  const bad: number[] = [];
  const result = await readLines(
    p,
    (text, n, isBad) => {
      lines.push(text);
      numbers.push(n);
      if (isBad) bad.push(n);
    },
    options,
  );
  return {
    lines,
    numbers,
    bad,
    result,
    messages: result.diagnostics.map((d) => `${d.severity}@${d.line}: ${d.message}`),
  };
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

const TEXT = 'info: Cat[0]\n      ?? EventBus: ready\n✅ done\n';
const LINES = ['info: Cat[0]', '      ?? EventBus: ready', '✅ done'];

describe('readLines', () => {
  it('reads LF text, numbering lines from 1, and hashes the bytes', async () => {
    const p = file('plain.log', TEXT);
    const { lines, numbers, result } = await collect(p);
    expect(lines).toEqual(LINES);
    expect(numbers).toEqual([1, 2, 3]);
    const sha = createHash('sha256').update(TEXT).digest('hex');
    expect(result).toMatchObject({ lines: 3, complete: true, diagnostics: [] });
    expect([await contentDigest(p), await hashFile(p)]).toEqual([sha, sha.slice(0, 16)]);
    expect(result.decodedBytes).toBe(Buffer.byteLength(TEXT));
  });

  it('strips CR of CRLF line ends', async () => {
    const { lines } = await collect(file('crlf.log', TEXT.replaceAll('\n', '\r\n')));
    expect(lines).toEqual(LINES);
  });

  it('splits lines at a bare CR (old Mac saves) and at mixed line ends, blank lines kept, not at CR TAB', async () => {
    const { lines, numbers } = await collect(file('cr.log', 'a\rb\r\nc\n\rd\r\re\rcell\r\tcell\n'));
    // CR then TAB is a cell of tab-separated data copied from a CRLF file (the corpus' log index has some).
    expect(lines).toEqual(['a', 'b', 'c', '', 'd', '', 'e', 'cell\r\tcell']);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('takes a CRLF cut between two decoded pieces as one line end', async () => {
    // 32 KiB pieces are decoded one at a time: the CR ends one piece, its LF opens the next.
    const first = 'x'.repeat(32 * 1024 - 1);
    const { lines } = await collect(file('crlf-cut.log', `${first}\r\nnext\rlast\r`));
    expect(lines).toEqual([first, 'next', 'last']);
  });

  it('strips a UTF-8 BOM, which the content digest still covers', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]);
    const p = file('bom8.log', bytes);
    const { lines } = await collect(p);
    expect(lines).toEqual(LINES);
    expect(await contentDigest(p)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it.each([
    ['utf-16le with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]), 'utf-16le'],
    ['utf-16le without BOM', Buffer.from(TEXT, 'utf16le'), 'utf-16le'],
    ['utf-16be with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)]), 'utf-16be'],
    ['utf-16be without BOM', utf16be(TEXT), 'utf-16be'],
  ])('decodes %s', async (name, bytes, encoding) => {
    const p = file(`${name.replaceAll(' ', '-')}.log`, bytes);
    const { lines, messages } = await collect(p);
    expect(lines).toEqual(LINES);
    expect(messages).toEqual([]);
    expect((await openLines(p)).encoding).toBe(encoding);
  });

  it.each([
    ['utf-8', (t: string) => Buffer.from(t)],
    ['utf-16le', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
  ])('decodes %s characters cut by the decoder pieces at any byte offset', async (name, encode) => {
    // Lines of 1-3 byte prefixes then emoji (4 bytes in UTF-8, surrogate pairs in UTF-16) over several
    // 32 KiB decode pieces and 1 MiB read chunks: every piece boundary falls inside some character.
    const lines = Array.from({ length: 60_000 }, (_, i) => `${'x'.repeat(i % 3)}🎼 Beat ${i} ✅ é`);
    const { lines: read, messages } = await collect(file(`pieces-${name}.log`, encode(`${lines.join('\n')}\n`)));
    expect(messages).toEqual([]);
    expect(read).toEqual(lines);
  });

  it('gunzips by magic bytes, whatever the name, and hashes the decompressed bytes', async () => {
    const p = file('compressed.log', gzipSync(TEXT.replaceAll('\n', '\r\n')));
    const source = await openLines(p);
    expect(source).toMatchObject({ gzip: true, encoding: 'utf-8', sample: LINES });
    const lines: string[] = [];
    await source.forEachLine((t) => lines.push(t));
    expect(lines).toEqual(LINES);
    expect(await contentDigest(p)).toBe(createHash('sha256').update(TEXT.replaceAll('\n', '\r\n')).digest('hex'));
  });

  it('reads a corrupt gzip stream up to the damage, with the byte offset (it failed the whole file)', async () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const gz = Buffer.from(gzipSync(big));
    const mid = gz.length >> 1;
    gz[mid] = (gz[mid] ?? 0) ^ 0xff;
    const p = file('corrupt.gz', gz);
    const { lines, result, messages } = await collect(p);
    expect(result.complete).toBe(true);
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.slice(0, 1000)).toEqual(big.split('\n').slice(0, 1000));
    expect(messages).toHaveLength(1);
    // Decompressed offset: every byte delivered before zlib found the damage.
    const at = result.decodedBytes;
    expect(at).toBeLessThan(big.length);
    expect(messages[0]).toBe(
      `warning@${lines.length}: corrupt compressed data after decompressed byte ${at.toLocaleString('en-US')} (line ${lines.length}); read up to there`,
    );
    expect(await contentDigest(p)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a truncated gzip stream up to the cut, like a plain log cut off mid-write, and says so', async () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const gz = gzipSync(big);
    const cut = file('cut.gz', gz.subarray(0, gz.length >> 1));
    const { lines, result, messages } = await collect(cut);
    expect(result.complete).toBe(true);
    // Whole lines arrive intact; the line cut off is delivered as far as it got.
    const expected = big.split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.length).toBeLessThan(expected.length);
    expect(lines.slice(0, -1)).toEqual(expected.slice(0, lines.length - 1));
    expect(expected[lines.length - 1]!.startsWith(lines.at(-1)!)).toBe(true);
    expect(messages).toEqual([
      `warning@${lines.length}: the compressed data ends early at byte ${(gz.length >> 1).toLocaleString('en-US')}, after line ${lines.length} (a truncated .gz); read up to there`,
    ]);
    // Its identity is the text it holds.
    const text = gunzipSync(gz.subarray(0, gz.length >> 1), { finishFlush: constants.Z_SYNC_FLUSH });
    expect(text.toString()).toBe(lines.join('\n'));
    expect(await contentDigest(cut)).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('reports an empty file', async () => {
    const { lines, messages, result } = await collect(file('empty.log', ''));
    expect(lines).toEqual([]);
    expect(messages).toEqual(['info@0: empty file']);
    expect(result.complete).toBe(true);
  });

  it('counts a last line without newline and says so', async () => {
    const { lines, messages } = await collect(file('cut.log', 'a\nb\npartial'));
    expect(lines).toEqual(['a', 'b', 'partial']);
    expect(messages).toEqual(['info@3: line 3 has no final newline (the file may have been cut off)']);
  });

  it('stops at a file that is binary from its first line, with one error', async () => {
    // Starts with a NUL: a line of random bytes can by chance look like text (a short one without controls).
    const garbage = Buffer.concat([Buffer.from([0]), randomBytes(8192)]);
    const p = file('binary.bin', garbage);
    const { lines, messages, result } = await collect(p);
    expect(lines).toEqual([]);
    expect(messages).toEqual(['error@1: binary content at line 1; stopped reading this file']);
    expect(result.complete).toBe(false);
    expect(await contentDigest(p)).toBe(createHash('sha256').update(garbage).digest('hex'));
  });

  it('fails a one-line binary file without a final newline as binary', async () => {
    const { lines, messages, result } = await collect(file('tiny.bin', Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 7])));
    expect(lines).toEqual([]);
    expect(messages).toEqual(['error@1: binary content at line 1; stopped reading this file']);
    expect(result.complete).toBe(false);
  });

  it('keeps binary lines inside a text file as bad lines, one warning each, and reads on', async () => {
    const bytes = Buffer.concat([
      Buffer.from('ok line 1\nab\u0000cd\n'),
      Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 0x0a]),
      Buffer.from('\u0000\u0000\nok line 2\n'),
    ]);
    const { lines, bad, messages, result } = await collect(file('nul-inside.log', bytes));
    expect(lines).toEqual([
      'ok line 1',
      'ab\u2400cd',
      '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b',
      '\u2400',
      'ok line 2',
    ]);
    expect(bad).toEqual([2, 3, 4]);
    expect(messages).toEqual([
      'warning@2: binary content at line 2; kept as an unknown line',
      'warning@3: binary content at line 3; kept as an unknown line',
      'warning@4: binary content (NUL bytes) at line 4; kept as an unknown line',
    ]);
    expect(result.complete).toBe(true);
    expect(result.lines).toBe(5);
  });

  it('keeps a NUL in the first line of a text file as that line only (text after it proves the file is text)', async () => {
    const { lines, bad, messages, result } = await collect(file('nul-first.log', 'x\u0000y\nok line 2\n'));
    expect(lines).toEqual(['x\u2400y', 'ok line 2']);
    expect(bad).toEqual([1]);
    expect(messages).toEqual(['warning@1: binary content at line 1; kept as an unknown line']);
    expect(result.complete).toBe(true);
  });

  it('reports a NUL tail (a pre-allocated file cut by a crash) once, not per line', async () => {
    const tail = Buffer.concat([
      Buffer.from('ok line 1\nok line 2\n'),
      Buffer.alloc(100),
      Buffer.from('\n'),
      Buffer.alloc(4000),
    ]);
    const { lines, bad, messages, result } = await collect(file('nul-tail.log', tail));
    expect(lines).toEqual(['ok line 1', 'ok line 2']);
    expect(bad).toEqual([]);
    expect(messages).toEqual([
      'warning@3: the file ends in 4,100 NUL characters from line 3 (cut off, or pre-allocated by a writer that crashed); ignored',
    ]);
    expect(result).toMatchObject({ lines: 2, complete: true });

    const cut = await collect(
      file('nul-cut.log', Buffer.concat([Buffer.from('ok line 1\nok line 2 half'), Buffer.alloc(512)])),
    );
    expect(cut.lines).toEqual(['ok line 1', 'ok line 2 half']);
    expect(cut.messages).toEqual([
      'warning@2: the file ends in 512 NUL characters from line 2 (cut off, or pre-allocated by a writer that crashed); ignored',
    ]);
  });

  it('reports invalid UTF-8 with replacement counts, the first few lines one by one', async () => {
    const bad = Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x0a]); // "a" FF "b" then a cut 2-byte sequence
    const bytes = Buffer.concat([Buffer.from('good\n'), ...Array.from({ length: 7 }, () => bad)]);
    const { lines, messages } = await collect(file('latin.log', bytes));
    expect(lines[1]).toBe('a\ufffdb\ufffd');
    expect(messages).toEqual([
      'warning@2: invalid UTF-8 at line 2: 2 replacement character(s)',
      'warning@3: invalid UTF-8 at line 3: 2 replacement character(s)',
      'warning@4: invalid UTF-8 at line 4: 2 replacement character(s)',
      'warning@5: invalid UTF-8 at line 5: 2 replacement character(s)',
      'warning@6: invalid UTF-8 at line 6: 2 replacement character(s)',
      'warning@0: invalid UTF-8 in 7 lines (14 replacement characters); the first 5 are listed',
    ]);
  });

  it('cuts a 10 MB line to 64 Ki chars with a diagnostic, and keeps reading', async () => {
    const long = 'y'.repeat(10 * 1024 * 1024);
    const { lines, messages } = await collect(file('long.log', `before\n${long}\nafter\n`));
    expect(lines.map((l) => l.length)).toEqual([6, 65_536, 5]);
    expect(lines[2]).toBe('after');
    expect(messages).toEqual(['warning@2: line 2 is 10,485,760 characters; kept the first 65,536']);
  });

  it('reports a missing file as data', async () => {
    const { lines, messages, result } = await collect(path.join(dir, 'nope.log'));
    expect(lines).toEqual([]);
    expect(result.complete).toBe(false);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^error@0: cannot read file: ENOENT/);
    expect(result.diagnostics[0]!.file).toBe(path.join(dir, 'nope.log'));
  });

  it('survives a file deleted between sniffing and streaming, and one deleted mid-read', async () => {
    const p = file('gone.log', TEXT);
    const source = await openLines(p);
    expect(source.sample).toEqual(LINES);
    unlinkSync(p);
    const lines: string[] = [];
    const gone = await source.forEachLine((t) => lines.push(t));
    expect(lines).toEqual([]);
    expect(gone.diagnostics.map((d) => [d.file, d.line, d.severity])).toEqual([[p, 0, 'error']]);
    expect(gone.diagnostics[0]!.message).toMatch(/ENOENT/);

    // Deleted while open: POSIX keeps the open file readable, so every line still arrives.
    const q = file('unlinked-mid-read.log', Array.from({ length: 50_000 }, (_, i) => `l${i}`).join('\n'));
    let count = 0;
    const mid = await readLines(q, (_t, n) => {
      count++;
      if (n === 10) unlinkSync(q);
    });
    expect(count).toBe(50_000);
    expect(mid.complete).toBe(true);
  });

  it('returns at most sampleLines lines as the sniff sample', async () => {
    const p = file('many.log', Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n'));
    const source = await openLines(p, { sampleLines: 200 });
    expect(source.sample).toHaveLength(200);
    expect(source.sample.at(-1)).toBe('line 200');
    let n = 0;
    await source.forEachLine(() => n++);
    expect(n).toBe(1000);
  });
});

describe('detectEncoding', () => {
  it('guesses UTF-8 for ASCII and binary-looking bytes without a BOM', () => {
    expect(detectEncoding(Buffer.from('hello world'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0, 0, 0, 0, 1, 2, 0, 0]))).toBe('utf-8');
  });
});
