/**
 * The byte path for plain UTF-8 Chrome consoles (chrome-console.ts): lines found with `indexOf` on the
 * file's bytes, and the common envelope, `<File>.ts:<line> <YYYY-MM-DDTHH:MM:SS.mmmZ> <msg>`, read at fixed
 * offsets: the location is looked up among those already seen, the stamp is checked byte by byte, and
 * only the message is decoded to a string; the most frequent framework lines are classified from their bytes
 * too (grammar/classify-bytes.ts). Any other line is decoded whole and read by `ChromeParser.line`,
 * so every line gives exactly what the string path gives.
 *
 * It reads clean text only: a block whose lines all are (valid UTF-8 without U+FFFD, no control byte but
 * TAB, VT, FF and ESC, no CR, no line longer than a block) is read without further checks. At the first
 * line that is not, it stops and says where, and the string reader (line-reader.ts `forEachLineFrom`)
 * takes the rest of the file with its diagnostics for bad lines, as if it had read the whole file.
 */
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { ByteNames, sameBytes } from './byte-names.js';
import type { ChromeParser } from './chrome-console.js';
import { type EnvelopeParts, LOCATION_RE, stripStyling } from './envelope-helpers.js';
import { textStart } from './grammar/byte-scan.js';
import { classifyText } from './grammar/classify-bytes.js';
import type { ResumePoint } from './line-reader.js';

/** Bytes read at a time; a longer line goes to the string reader, which cuts huge lines. */
const BLOCK_BYTES = 1024 * 1024;

/** Bytes that stop the byte path: controls other than TAB (9), LF (10), VT (11), FF (12) and ESC (27), and CR. */
const STOP = new Uint8Array(256);
for (let b = 0; b < 32; b++) if (b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 27) STOP[b] = 1;
/** U+FFFD in UTF-8: the string reader counts it as an invalid byte, so it is left to it. */
const REPLACEMENT = Buffer.from('\ufffd', 'utf8');

/** Where the byte path stopped: `done` when it read the whole file, else the string reader resumes there. */
export interface BytePathEnd extends ResumePoint {
  readonly done: boolean;
  /** When `done`: whether the last line ended with a newline. */
  readonly finalNewline: boolean;
}

/**
 * Feeds the lines of `path` to `parser` from the start, for as long as they are clean text (see the header).
 * Never rejects: a read error stops it, and the string reader meets the error again and reports it.
 */
export async function readChromeBytes(
  path: string,
  parser: ChromeParser,
  onProgress?: (bytesRead: number) => void,
): Promise<BytePathEnd> {
  const reader = new LineFeeder(parser);
  let base = 0; // file offset of buf[0]
  let have = 0; // bytes of the file in buf
  // A block buffer of an earlier read: a new one per file was most of a folder of small consoles' garbage.
  const buf = spareBlocks.pop() ?? Buffer.allocUnsafe(BLOCK_BYTES);
  const stopAt = (offset: number): BytePathEnd => ({
    start: offset,
    lines: reader.lines,
    proven: reader.proven,
    done: false,
    finalNewline: false,
  });
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, 'r');
    for (;;) {
      const { bytesRead } = await fh.read(buf, have, BLOCK_BYTES - have, base + have);
      have += bytesRead;
      onProgress?.(base + have);
      const view = buf.subarray(0, have);
      // A byte-order mark or an empty file: the string reader's business.
      if (base === 0 && (have === 0 || (view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf))) return stopAt(0);
      const eof = bytesRead === 0;
      if (eof && have === 0) return { ...stopAt(base), done: true, finalNewline: true };
      const end = eof ? have : view.lastIndexOf(10) + 1; // the complete lines in buf
      if (end === 0) return stopAt(base); // one line longer than a block
      const clean = reader.feed(view, end);
      if (clean < end) return stopAt(base + clean);
      if (eof) return { ...stopAt(base + have), done: true, finalNewline: view[have - 1] === 10 };
      buf.copy(buf, 0, end, have);
      base += end;
      have -= end;
    }
  } catch {
    return stopAt(base);
  } finally {
    await fh?.close().catch(() => undefined);
    // Nothing read keeps a view of it (the parser is handed strings and copies): the next read may reuse it.
    if (spareBlocks.length < MAX_SPARE_BLOCKS) spareBlocks.push(buf);
  }
}

/** Block buffers free for the next read; reads at once (a `serve` watching several files) each take their own. */
const spareBlocks: Buffer[] = [];
const MAX_SPARE_BLOCKS = 2;

/** Lines to the parser; the envelope read from bytes where it has the common shape. */
class LineFeeder {
  lines = 0;
  proven = false;
  /** Hash of a location's bytes → those bytes and the location (null: the text is not a location). */
  private readonly locations = new Map<number, { readonly bytes: Uint8Array; readonly location: string | null }>();

  /** Names read from the bytes of the lines classified there, and those lines' icons. */
  private readonly names = new ByteNames();
  private readonly icons = new ByteNames('utf8');

  constructor(private readonly parser: ChromeParser) {}

  /**
   * Feeds the lines of `bytes[0, end)`, which ends with an LF unless it is the file's last line. Returns
   * the offset of the first line that is not clean text (`end` when all are); lines before it are fed.
   */
  feed(bytes: Buffer, end: number): number {
    const region = bytes.subarray(0, end);
    const allClean = isUtf8(region) && region.indexOf(REPLACEMENT) === -1 && !hasStopByte(region, 0, end);
    let s = 0;
    while (s < end) {
      let e = bytes.indexOf(10, s);
      if (e === -1 || e >= end) e = end;
      if (!allClean && !isCleanLine(bytes.subarray(s, e))) return s;
      this.line(bytes, s, e);
      s = e + 1;
    }
    return end;
  }

  private line(bytes: Buffer, s: number, e: number): void {
    const lineNo = ++this.lines;
    // The string reader's proof of text: a clean line of 8+ UTF-16 code units (3+ bytes per unit at most).
    if (!this.proven && (e - s >= 24 || (e - s >= 8 && bytes.toString('utf8', s, e).length >= 8))) this.proven = true;
    const parts = this.envelope(bytes, s, e);
    if (parts === undefined) this.parser.line(bytes.toString('utf8', s, e), lineNo);
    else this.parser.envelopeLine(parts, lineNo);
  }

  /** `File.ts:12 2026-01-02T03:04:05.678Z msg`: its parts as `parseChromeLine` gives them, else undefined. */
  private envelope(bytes: Buffer, s: number, e: number): EnvelopeParts | undefined {
    // The location: ASCII up to the first space, hashed on the way so a known one needs no string.
    let space = s;
    let hash = 0;
    for (; space < e; space++) {
      const c = bytes[space]!;
      if (c === 32) break;
      if (c >= 0x80) return undefined;
      hash = (Math.imul(hash, 31) + c) | 0;
    }
    if (space === s || space === e || space - s > MAX_LOCATION_BYTES) return undefined;
    const location = this.location(bytes, s, space, hash);
    if (location === null) return undefined;
    const iso = space + 1;
    if (e - iso < 24 || (e > iso + 24 && bytes[iso + 24] !== 32)) return undefined;
    const timeMs = this.isoMs(bytes, iso);
    if (timeMs === undefined) return undefined;
    const m = iso + 25;
    const t = e > m ? textStart(bytes, m, e) : -1;
    const event = t >= 0 ? classifyText(bytes, t, e, this.names) : undefined;
    if (event !== undefined) {
      // The grammar will not read this message: it is its icon (shared) joined to its ASCII text, one byte per
      // character, the same string a UTF-8 decode of the whole gives, and V8 joins the two only if one reads it.
      return { message: this.icons.get(bytes, m, t) + bytes.toString('latin1', t, e), location, timeMs, event };
    }
    const message = e > iso + 24 ? bytes.toString('utf8', m, e) : '';
    return { message: stripStyling(message), location, timeMs };
  }

  /** The location whose text is `bytes[s, end)`, null when that text is not one (LOCATION_RE decides). */
  private location(bytes: Buffer, s: number, end: number, hash: number): string | null {
    const known = this.locations.get(hash);
    if (known !== undefined && sameBytes(known.bytes, bytes, s, end)) return known.location;
    const text = bytes.toString('latin1', s, end);
    const m = LOCATION_RE.exec(`${text} `);
    const location = m !== null && m[0].length === text.length + 1 ? m[1]! : null;
    if (this.locations.size < 10_000)
      this.locations.set(hash, { bytes: Uint8Array.from(bytes.subarray(s, end)), location });
    return location;
  }

  /**
   * Epoch ms of `YYYY-MM-DDTHH:MM:SS.mmmZ` at `at`, or undefined when the bytes have another shape or a field
   * is out of range: the same checks and arithmetic as `parseIsoAt` for this shape, without a string.
   * Consecutive lines mostly share the second: its first 19 bytes are compared with the last ones.
   */
  private isoMs(b: Buffer, at: number): number | undefined {
    for (let i = 0; i < 24; i++) {
      const c = b[at + i]!;
      const want = ISO_SHAPE.charCodeAt(i);
      if (want === 100 /* d */ ? c < 48 || c > 57 : c !== want) return undefined;
    }
    const fraction = (b[at + 20]! - 48) * 100 + (b[at + 21]! - 48) * 10 + (b[at + 22]! - 48);
    const last = this.lastSecond;
    let same = true;
    for (let i = 0; i < 19 && same; i++) same = last[i] === b[at + i];
    if (same && this.lastSecondMs !== undefined) return this.lastSecondMs + fraction;
    const d2 = (i: number) => (b[at + i]! - 48) * 10 + (b[at + i + 1]! - 48);
    const mo = d2(5);
    const d = d2(8);
    const h = d2(11);
    const mi = d2(14);
    const sec = d2(17);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return undefined;
    const secondMs = Date.UTC(d2(0) * 100 + d2(2), mo - 1, d, h, mi, sec);
    b.copy(last, 0, at, at + 19);
    this.lastSecondMs = secondMs;
    return secondMs + fraction;
  }

  private readonly lastSecond = new Uint8Array(19);
  private lastSecondMs: number | undefined;
}

/** Longer texts before the first space are not looked up as locations (the string path reads them). */
const MAX_LOCATION_BYTES = 256;

function hasStopByte(bytes: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (STOP[bytes[i]!] === 1) return true;
  return false;
}

function isCleanLine(line: Buffer): boolean {
  return isUtf8(line) && line.indexOf(REPLACEMENT) === -1 && !hasStopByte(line, 0, line.length);
}

/** The stamp's shape: `d` a digit, anything else itself. */
const ISO_SHAPE = 'dddd-dd-ddTdd:dd:dd.dddZ';
