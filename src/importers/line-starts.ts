/**
 * Where a line of a plain UTF-8 log starts, found on its bytes: what lets `beatscope lines` (and `serve`'s
 * `/api/lines`) show line 1,500,000 of a big console without decoding the 1,499,999 lines before it. The text
 * reader (line-reader.ts) is then resumed there. Line ends are the reader's: LF, CRLF, and a bare CR unless a
 * TAB follows it. Those are ASCII bytes, which never occur inside a UTF-8 sequence nor are swallowed by an
 * invalid one, so counting them on the bytes numbers lines exactly as decoding does.
 */
import { open } from 'node:fs/promises';
import { type ResumePoint, SUSPICIOUS_RE } from './line-reader.js';

/** Bytes read at a time (a test passes fewer, to put line ends across reads). */
const BLOCK_BYTES = 1024 * 1024;
/** A line longer than this is not looked at as proof (see `provesText`): it will be some later line. */
const MAX_PROOF_BYTES = 256 * 1024;

const LF = 10;
const CR = 13;
const TAB = 9;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether the reader takes this line as proof that the file is text (`emit` in line-reader.ts): 8 or more
 * characters of valid UTF-8 with nothing suspicious in them. Lines the reader also takes (16 characters of
 * some suspicious but not binary ones) are not looked for: a later line proves it, or the reader starts over.
 */
function provesText(bytes: Uint8Array): boolean {
  try {
    const text = strictUtf8.decode(bytes);
    return text.length >= 8 && !SUSPICIOUS_RE.test(text);
  } catch {
    return false; // invalid UTF-8: the reader sees U+FFFD
  }
}

/**
 * Where 1-based `line` of the plain UTF-8 file at `path` starts, as the point the text reader resumes from
 * (`lines` before it, `proven`: a line before it proved the file is text). Undefined when the file has no such
 * line, or none of the lines before it proves the file is text the way this scan can tell (`provesText`): then
 * read the file from its start. Line 1 starts at 0 (a BOM, if any, is the reader's business).
 */
export async function findLineStart(
  path: string,
  line: number,
  blockBytes = BLOCK_BYTES,
): Promise<ResumePoint | undefined> {
  const wanted = line - 1; // line ends to pass
  if (wanted <= 0) return undefined;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(blockBytes);
    let offset = 0; // file offset of buf[0]
    let ended = 0; // line ends passed
    let lineStart = 0; // file offset where the current line starts
    let proven = false;
    /** The previous block ended with a CR: whether it ends a line depends on this block's first byte. */
    let crPending = false;
    /** While nothing is proven: the current line's bytes in the blocks before this one (copies). */
    let head: Buffer[] = [];
    let headBytes = 0;
    /** The current line's bytes in this block, up to file offset `end`. */
    const tail = (end: number) => {
      const from = Math.max(lineStart, offset) - offset;
      return buf.subarray(from, Math.max(from, end - offset));
    };
    /** A line ended at file offset `end` (exclusive), the next starts at `next`. True once `line` is reached. */
    const endLine = (end: number, next: number): boolean => {
      if (!proven && end - lineStart <= MAX_PROOF_BYTES) {
        proven = provesText(head.length === 0 ? tail(end) : Buffer.concat([...head, tail(end)]));
      }
      head = [];
      headBytes = 0;
      ended++;
      lineStart = next;
      return ended === wanted;
    };
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, blockBytes, offset);
      if (bytesRead === 0) break;
      let i = 0;
      if (crPending) {
        crPending = false;
        const b = buf[0];
        if (b !== TAB && endLine(offset - 1, offset + (b === LF ? 1 : 0))) break;
        if (b === LF) i = 1;
      }
      let nl = buf.indexOf(LF, i);
      let cr = buf.indexOf(CR, i);
      let reached = false;
      for (;;) {
        if (nl >= bytesRead) nl = -1;
        if (cr >= bytesRead) cr = -1;
        if (cr !== -1 && (nl === -1 || cr < nl)) {
          if (cr + 1 === bytesRead) {
            crPending = true; // decided by the next block's first byte
            break;
          }
          const after = buf[cr + 1];
          if (after === TAB) {
            cr = buf.indexOf(CR, cr + 1);
            continue;
          }
          const next = after === LF ? cr + 2 : cr + 1;
          if (endLine(offset + cr, offset + next)) {
            reached = true;
            break;
          }
          if (after === LF) nl = buf.indexOf(LF, next);
          cr = buf.indexOf(CR, next);
        } else if (nl !== -1) {
          if (endLine(offset + nl, offset + nl + 1)) {
            reached = true;
            break;
          }
          nl = buf.indexOf(LF, nl + 1);
        } else break;
      }
      if (reached) break;
      // The line that runs on into the next block: its bytes here (not a CR that may end it), kept for the proof.
      const rest = tail(offset + bytesRead - (crPending ? 1 : 0));
      if (!proven && headBytes + rest.length <= MAX_PROOF_BYTES) {
        head.push(Buffer.from(rest));
        headBytes += rest.length;
      }
      offset += bytesRead;
    }
    // A CR at the very end of the file ends its last line.
    if (ended < wanted && crPending) endLine(offset - 1, offset);
    if (ended < wanted || !proven) return undefined;
    return { start: lineStart, lines: wanted, proven };
  } finally {
    await fh.close();
  }
}
