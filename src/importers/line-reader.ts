/**
 * Streams the physical lines of a log file of any size with bounded memory: transparent gunzip
 * (by magic bytes), encoding detection (BOM or UTF-16 NUL pattern), CRLF, and bad content turned
 * into diagnostics instead of exceptions. Two passes over the bytes: `openLines` reads just enough
 * for a sniff sample, `forEachLine` streams the whole file (re-reading the head is cheaper than
 * buffering it, and keeps the push API simple).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Diagnostic, Severity, TextEncoding } from '../model/index.js';

export interface ReadOptions {
  /** Lines longer than this many UTF-16 code units are cut (default 1 MiB = 1,048,576). */
  readonly maxLineChars?: number;
  /** How much of a cut line is kept, in code units (default 65,536). */
  readonly keepChars?: number;
  /** Lines collected by `openLines` for format sniffing (default 200). */
  readonly sampleLines?: number;
  /** Called after each chunk with the bytes read from disk so far (compressed bytes for gzip). */
  readonly onProgress?: (bytesRead: number) => void;
  /** Called with each chunk of the content as it is read (after gunzip), before its lines are delivered. */
  readonly onContent?: (chunk: Buffer) => void;
}

/**
 * `bad` is true for a line of binary junk (a NUL or mostly control bytes) inside a text file: the
 * reader has reported it (file:line) and the caller keeps it as an unknown line instead of parsing it.
 * Its NULs are shown as U+2400 (␀) so the text can be stored and printed.
 */
export type OnLine = (text: string, lineNo: number, bad?: boolean) => void;

export interface ReadResult {
  /** Physical lines delivered; a final line without a newline counts. */
  readonly lines: number;
  /** Bytes after gunzip (= sizeBytes for plain files), BOM included. */
  readonly decodedBytes: number;
  /** False when reading failed or stopped at binary content (lines after that point were not delivered). */
  readonly complete: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export interface LineSource {
  readonly path: string;
  /** Size on disk in bytes (0 when the file cannot be stat'ed). */
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly gzip: boolean;
  readonly encoding: TextEncoding;
  /** The first `sampleLines` physical lines, decoded, for `Importer.sniff`. */
  readonly sample: readonly string[];
  /** Streams every line from the start (the sample lines included). Never rejects. */
  forEachLine(onLine: OnLine): Promise<ReadResult>;
  /**
   * Streams the lines from a line start that another reader reached (the byte path, chrome-bytes.ts),
   * as if this reader had read everything before it: line numbers and the result count the earlier lines.
   * Never rejects.
   */
  forEachLineFrom(resume: ResumePoint, onLine: OnLine): Promise<ReadResult>;
}

/**
 * Where a UTF-8 file is taken over: the byte offset of a line start, the lines before it, and whether one
 * of them proved the file is text (8+ characters; see `emit`): the lines from it then read as they do from the
 * file's start. The byte path (chrome-bytes.ts) hands over at its first line that is not clean text (so the
 * lines before were: no control character but TAB, VT, FF and ESC, no CR, valid UTF-8 without U+FFFD, none cut,
 * and the diagnostics go on counting right); line-starts.ts finds one at any line for `beatscope lines`.
 */
export interface ResumePoint {
  readonly start: number;
  readonly lines: number;
  readonly proven: boolean;
}

const MIB = 1024 * 1024;
/** Bytes read at a time for a sample of lines (format sniffing): ~450 lines of a typical console. */
const SAMPLE_READ_BYTES = 64 * 1024;
/** Bytes decoded into one string at a time (see the read loop). */
const DECODE_BYTES = 32 * 1024;
/** Controls never seen in console text (TAB LF VT FF CR and ESC are allowed) plus U+FFFD. */
export const SUSPICIOUS_RE = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\ufffd]/;
const NUL_RE = /\u0000/g;
/** A line of NULs only (a CR may end it): what a crashed writer leaves after its last flush. */
const NUL_ONLY_RE = /^\u0000+\r?$/;
/** Lines held from a binary line before the first text line; one more and the file is not text. */
const MAX_HELD_LINES = 8;
/** Binary lines kept one by one; past this, and outnumbering the text lines, the file is binary after all. */
const MAX_BINARY_LINES = 1000;
/** Lines with replacement characters reported one by one before a summary takes over. */
const MAX_BAD_LINE_REPORTS = 5;

/** Opens a file for sniffing then streaming. Never rejects: an unreadable file gets an empty sample. */
export async function openLines(path: string, options: ReadOptions = {}): Promise<LineSource> {
  const info = await stat(path).catch(() => undefined);
  const gzip = await hasGzipMagic(path);
  const sample: string[] = [];
  const limit = options.sampleLines ?? 200;
  const head = await scan(path, gzip, options, (text) => sample.push(text), limit);
  return {
    path,
    sizeBytes: info?.size ?? 0,
    mtimeMs: info?.mtimeMs ?? 0,
    gzip,
    encoding: head.encoding,
    sample,
    forEachLine: async (onLine) => (await scan(path, gzip, options, onLine, Number.POSITIVE_INFINITY)).result,
    forEachLineFrom: async (resume, onLine) => {
      const from = { start: resume.start, encoding: 'utf-8' as const };
      return (await scan(path, gzip, options, onLine, Number.POSITIVE_INFINITY, from, resume)).result;
    },
  };
}

/**
 * Bytes `start` (inclusive) to `end` (exclusive) of a plain file read as if they were a file of their own,
 * in a known encoding: one chunk of a big log split at line starts for parallel parsing
 * (ingest/split-file.ts). Line numbers and diagnostics count from the chunk's first line. Never rejects.
 */
export interface ByteRange {
  readonly start: number;
  /** Exclusive; the end of the file when left out. */
  readonly end?: number;
  readonly encoding: TextEncoding;
}

/** Streams the lines of a byte range of a file (see `ByteRange`). Never rejects. */
export async function readRange(
  path: string,
  range: ByteRange,
  onLine: OnLine,
  options: ReadOptions = {},
): Promise<ReadResult> {
  return (await scan(path, false, options, onLine, Number.POSITIVE_INFINITY, range)).result;
}

/**
 * Streams the lines of bytes `resume.start` to `end` (exclusive) of a plain UTF-8 file, as if this reader had
 * read every line before them (line numbers and the result count `resume.lines`): the part a growing file got
 * since the last read (ingest/growing-file.ts). Returns where a next read resumes. Never rejects.
 */
export async function readOn(
  path: string,
  resume: ResumePoint,
  end: number,
  onLine: OnLine,
  options: ReadOptions = {},
): Promise<{ result: ReadResult; next: ResumePoint }> {
  const range = { start: resume.start, end, encoding: 'utf-8' as const };
  const read = await scan(path, false, options, onLine, Number.POSITIVE_INFINITY, range, resume);
  return {
    result: read.result,
    next: { start: read.result.decodedBytes, lines: read.result.lines, proven: read.proven },
  };
}

/**
 * Lines `resume.lines + 1` to `lastLine` of a plain UTF-8 file, from the line start `resume.start` (line-starts.ts
 * finds one on the bytes), numbered, decoded and cut as `readFirstLines` gives them. Never rejects.
 */
export async function readLinesFrom(
  path: string,
  resume: ResumePoint,
  lastLine: number,
  onLine: OnLine,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const range = { start: resume.start, encoding: 'utf-8' as const };
  return (await scan(path, false, options, onLine, lastLine, range, resume)).result;
}

/** The info diagnostic's text for a last line without a newline (shared with ingest/split-file.ts). */
export function noFinalNewlineMessage(line: number): string {
  return `line ${line} has no final newline (the file may have been cut off)`;
}

/**
 * The first `lastLine` lines of a file, numbered, decoded and cut exactly as an ingest reads them (gzip,
 * UTF-16, bad lines), then stops reading: what `beatscope lines` shows. Never rejects.
 */
export async function readFirstLines(
  path: string,
  lastLine: number,
  onLine: OnLine,
  options: ReadOptions = {},
): Promise<ReadResult> {
  return (await scan(path, await hasGzipMagic(path), options, onLine, lastLine)).result;
}

/** One pass over a whole file when no sniffing is needed. Never rejects. */
export async function readLines(path: string, onLine: OnLine, options: ReadOptions = {}): Promise<ReadResult> {
  return (await scan(path, await hasGzipMagic(path), options, onLine, Number.POSITIVE_INFINITY)).result;
}

export async function hasGzipMagic(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
      return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
    } finally {
      await fh.close();
    }
  } catch {
    return false; // the scan reports the error with its line
  }
}

/**
 * BOM first; without one, ASCII-heavy UTF-16LE has a NUL in most odd bytes and almost none in even
 * bytes (BE the reverse). Only the first 4 KiB are looked at; everything else is UTF-8.
 */
export function detectEncoding(head: Uint8Array): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const n = Math.min(head.length, 4096) & ~1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  if (n >= 2 && oddNul >= n * 0.15 && evenNul * 10 <= oddNul) return 'utf-16le';
  if (n >= 2 && evenNul >= n * 0.15 && oddNul * 10 <= evenNul) return 'utf-16be';
  return 'utf-8';
}

/**
 * Binary: a NUL, ≥ 10% disallowed controls, or controls + replacement characters ≥ 25% of a line of
 * 16+ chars (random bytes decoded as UTF-8 look like that; Latin-1 read as UTF-8 stays far below).
 */
function checkLine(line: string): { binary: boolean; replacements: number } {
  let controls = 0;
  let replacements = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0xfffd) replacements++;
    else if (c < 0x20 && (c < 9 || c > 13) && c !== 27) {
      if (c === 0) return { binary: true, replacements };
      controls++;
    }
  }
  const binary =
    (controls > 0 && controls * 10 >= line.length) ||
    (line.length >= 16 && (controls + replacements) * 4 >= line.length);
  return { binary, replacements };
}

async function scan(
  path: string,
  gzip: boolean,
  options: ReadOptions,
  onLine: OnLine,
  maxLines: number,
  range?: ByteRange,
  resume?: ResumePoint,
) {
  const diagnostics: Diagnostic[] = [];
  const report = (line: number, severity: Severity, message: string) =>
    diagnostics.push({ file: path, line, severity, message });
  const maxLineChars = options.maxLineChars ?? MIB;
  const keepChars = Math.min(options.keepChars ?? 65_536, maxLineChars);
  let encoding: TextEncoding = 'utf-8';
  let decoder: TextDecoder | undefined;
  let decodedBytes = 0;
  let lines = 0;
  let stopped = false; // binary content or sample complete: stop delivering lines
  let complete = true;
  let pending = ''; // the current unfinished line (cut to keepChars once it passes maxLineChars)
  let pendingLen = 0; // its real length in code units, including any part cut away
  let badLines = 0;
  let badChars = 0;
  let failure: string | undefined; // errno code and message of a failed read
  let gzipCut: 'truncated' | 'corrupt' | undefined; // the compressed stream ended early: what it held was delivered
  let gzipAt = 0; // compressed bytes read from disk when zlib stopped
  let goodLines = 0; // lines delivered as text
  // Lines of NULs only, held back: at the end of the file they are one truncated (pre-allocated) tail,
  // reported once; followed by text they were junk inside the file, one unknown line each.
  let nulLines = 0;
  let nulBytes = 0; // code units in those lines
  let nulFrom = 0; // line number of the first of them
  let proven = false; // a line that only text gives was seen (see emit)
  // From a binary line before `proven` on: lines held until text proves the file is text.
  const held: { text: string; n: number; binary: boolean; replacements: number }[] = [];
  let binaryLines = 0; // binary lines delivered as bad lines

  const deliver = (text: string, n: number, bad: boolean) => {
    lines = n;
    if (bad) onLine(text.replace(NUL_RE, '\u2400'), n, true);
    else {
      goodLines++;
      onLine(text, n);
    }
    if (lines >= maxLines) stopped = true;
  };

  /** Releases the held NUL-only lines as junk inside the file: text follows them. */
  const flushNulLines = () => {
    for (let i = 0; i < nulLines && !stopped; i++) {
      const n = nulFrom + i;
      report(n, 'warning', `binary content (NUL bytes) at line ${n}; kept as an unknown line`);
      deliver('\u0000', n, true);
    }
    nulLines = 0;
    nulBytes = 0;
  };

  const emit = (text: string, length: number, check: boolean) => {
    const n = lines + nulLines + held.length + 1;
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (length > maxLineChars) {
      text = text.slice(0, keepChars);
      report(
        n,
        'warning',
        `line ${n} is ${length.toLocaleString('en-US')} characters; kept the first ${keepChars.toLocaleString('en-US')}`,
      );
    }
    let binary = false;
    let replacements = 0;
    const suspicious = check && SUSPICIOUS_RE.test(text);
    if (suspicious) {
      if (proven && NUL_ONLY_RE.test(text)) {
        if (nulLines === 0) nulFrom = n;
        nulLines++;
        nulBytes += length;
        return;
      }
      ({ binary, replacements } = checkLine(text));
    }
    if (!proven) {
      // Text is proven by a line of 8+ clean characters (or 16+ not binary): random bytes almost never
      // give one. Until then, binary lines and those after them are held: a binary file fails whole.
      if (!binary && text.length >= (suspicious ? 16 : 8)) proven = true;
      else if (binary || held.length > 0) {
        held.push({ text, n, binary, replacements });
        if (held.length > MAX_HELD_LINES) notText();
        return;
      }
    }
    flushHeld();
    if (!stopped) accept(text, n, binary, replacements);
  };

  const accept = (text: string, n: number, binary: boolean, replacements: number) => {
    if (binary) {
      if (++binaryLines > MAX_BINARY_LINES && binaryLines > goodLines) {
        report(
          n,
          'error',
          `mostly binary content (${binaryLines} binary lines by line ${n}); stopped reading this file`,
        );
        stopped = true;
        complete = false;
        return;
      }
      report(n, 'warning', `binary content at line ${n}; kept as an unknown line`);
      deliver(text, n, true);
      return;
    }
    if (replacements > 0 && ++badLines <= MAX_BAD_LINE_REPORTS) {
      report(n, 'warning', `invalid ${encoding.toUpperCase()} at line ${n}: ${replacements} replacement character(s)`);
    }
    badChars += replacements;
    deliver(text, n, false);
  };

  /** Binary content before any text line: the file is not text. */
  const notText = () => {
    const first = held.find((h) => h.binary)?.n ?? held[0]?.n ?? lines + 1;
    report(first, 'error', `binary content at line ${first}; stopped reading this file`);
    held.length = 0;
    stopped = true;
    complete = false;
  };

  const flushHeld = () => {
    for (const h of held) {
      if (stopped) break;
      accept(h.text, h.n, h.binary, h.replacements);
    }
    held.length = 0;
    flushNulLines();
  };

  // Line ends: LF, CRLF and a bare CR (old Mac saves, some copy-pastes) unless a TAB follows it. A CR ending a decoded piece may be
  // the first half of a CRLF: the line ends there and an LF opening the next piece is skipped.
  let afterCr = false;
  const feed = (text: string) => {
    if (text.length === 0) return;
    const suspicious = SUSPICIOUS_RE.test(text);
    let pos = 0;
    if (afterCr) {
      afterCr = false;
      if (text.charCodeAt(0) === 10) pos = 1;
    }
    let nl = text.indexOf('\n', pos);
    let cr = text.indexOf('\r', pos); // -1 for most files: then this is a plain LF split
    while (!stopped) {
      let end: number;
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        if (text.charCodeAt(cr + 1) === 9) {
          // CR then TAB: a cell copied from a CRLF file into tab-separated data, not a line end.
          cr = text.indexOf('\r', cr + 1);
          continue;
        }
        end = cr;
        if (cr + 1 === nl)
          nl = -2; // CRLF: consumed below
        else if (cr + 1 === text.length) afterCr = true;
      } else if (nl !== -1) end = nl;
      else break;
      const next = nl === -2 ? end + 2 : end + 1;
      if (pendingLen === 0) emit(text.slice(pos, end), end - pos, suspicious);
      else {
        append(text, pos, end);
        emit(pending, pendingLen, true);
        pending = '';
        pendingLen = 0;
      }
      pos = next;
      if (nl !== -1 && nl < pos) nl = text.indexOf('\n', pos); // -2 (a CRLF) too
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
    }
    if (!stopped && pos < text.length) append(text, pos, text.length);
  };

  const append = (text: string, from: number, to: number) => {
    if (pendingLen <= maxLineChars) pending += text.slice(from, to);
    pendingLen += to - from;
    if (pending.length > maxLineChars) pending = pending.slice(0, keepChars);
  };

  // A stream allocates a buffer of its highWaterMark for every read, whatever is left to read: fitted to what
  // is, so a folder of small consoles is not 1 MiB of garbage per file (V8 ran a full GC every few files); a sample
  // of lines needs less still.
  const left =
    range?.end !== undefined
      ? range.end - range.start
      : await stat(path).then(
          (s) => s.size - (range?.start ?? 0),
          () => MIB,
        );
  const file = createReadStream(path, {
    highWaterMark: Math.min(Number.isFinite(maxLines) ? SAMPLE_READ_BYTES : MIB, Math.max(SAMPLE_READ_BYTES, left)),
    start: range?.start,
    end: range?.end === undefined ? undefined : Math.max(range.start, range.end) - 1,
  });
  if (range !== undefined) {
    encoding = range.encoding;
    decoder = new TextDecoder(encoding);
  }
  if (resume !== undefined) {
    lines = resume.lines;
    goodLines = resume.lines;
    proven = resume.proven;
    decodedBytes = resume.start;
  }
  const source = gzip ? file.pipe(createGunzip({ chunkSize: 256 * 1024 })) : file;
  if (gzip) file.on('error', (error) => source.destroy(error));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      decodedBytes += chunk.length;
      options.onProgress?.((range?.start ?? 0) + file.bytesRead);
      if (stopped) break; // sample done, or binary content
      options.onContent?.(chunk);
      if (!decoder) {
        encoding = detectEncoding(chunk);
        decoder = new TextDecoder(encoding);
      }
      // Decoded in pieces: a string of more than ~64 Ki code units lands in V8's large-object space,
      // which made decoding and splitting 1 MiB chunks 5-8x slower than 64 KiB pieces.
      for (let at = 0; at < chunk.length && !stopped; at += DECODE_BYTES) {
        feed(decoder.decode(chunk.subarray(at, at + DECODE_BYTES), { stream: true }));
      }
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    // zlib delivers everything a truncated stream holds before this error: such a file reads like a plain
    // log cut off mid-write, not like an unreadable one.
    // Corrupt data (a bad block, a failed CRC) likewise keeps what decompressed before it.
    if (gzip && (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR')) {
      gzipCut = e.code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt';
      gzipAt = file.bytesRead;
    } else {
      complete = false;
      failure = `${e.code ?? 'error'}: ${e.message}`;
    }
  } finally {
    source.destroy();
    file.destroy();
  }
  if (!stopped) {
    if (decoder) feed(decoder.decode());
    if (!stopped && pendingLen > 0 && held.length > 0) {
      // The last line decides whether held binary lines were junk in a text file.
      emit(pending, pendingLen, true);
      pending = '';
      pendingLen = 0;
    }
    if (held.length > 0) notText();
    // A NUL tail: the held NUL-only lines, and the NULs ending the last unfinished line.
    let tailFrom = nulLines > 0 ? nulFrom : 0;
    let tailNuls = nulLines > 0 ? nulBytes : 0;
    if (!stopped && pendingLen > 0 && pendingLen <= maxLineChars && proven && pending.endsWith('\u0000')) {
      const kept = pending.replace(/\u0000+$/, '');
      if (kept.length > 0) {
        flushNulLines(); // text follows them: junk inside the file, not a tail
        tailFrom = lines + 1; // the kept line itself, delivered below
        tailNuls = 0;
      } else if (tailFrom === 0) tailFrom = lines + nulLines + 1;
      tailNuls += pending.length - kept.length;
      pending = kept;
      pendingLen = kept.length;
    }
    if (!stopped && pendingLen > 0) {
      emit(pending, pendingLen, true);
      if (held.length > 0) notText(); // a last line of binary with no text before it
      if (complete && gzipCut === undefined && tailNuls === 0) report(lines, 'info', noFinalNewlineMessage(lines));
    }
    if (tailNuls > 0) {
      report(
        tailFrom,
        'warning',
        `the file ends in ${tailNuls.toLocaleString('en-US')} NUL characters from line ${tailFrom} (cut off, or pre-allocated by a writer that crashed); ignored`,
      );
    }
    if (gzipCut) {
      report(
        lines,
        'warning',
        gzipCut === 'truncated'
          ? `the compressed data ends early at byte ${gzipAt.toLocaleString('en-US')}, after line ${lines} (a truncated .gz); read up to there`
          : `corrupt compressed data after decompressed byte ${decodedBytes.toLocaleString('en-US')} (line ${lines}); read up to there`,
      );
    }
  }
  if (failure !== undefined) {
    // Reported after the flush so the line number covers the partial line delivered before the error.
    report(
      lines,
      'error',
      lines === 0 ? `cannot read file: ${failure}` : `read failed after line ${lines}: ${failure}`,
    );
  }
  if (badLines > MAX_BAD_LINE_REPORTS) {
    report(
      0,
      'warning',
      `invalid ${encoding.toUpperCase()} in ${badLines} lines (${badChars} replacement characters); the first ${MAX_BAD_LINE_REPORTS} are listed`,
    );
  }
  if (lines === 0 && complete) report(0, 'info', 'empty file');
  return { encoding, proven, result: { lines, decodedBytes, complete, diagnostics } };
}
