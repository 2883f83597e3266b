/**
 * DataBaton lines classified from their bytes (the byte path, chrome-bytes.ts): a fifth of a typical console's
 * lines and the longest, so the grammar's two regular expressions, the icon strip and the captured strings'
 * copies were the largest share of classifying. The message is cut at the same markers `BATON` matches
 * (baton.ts), and the event is made by the same `batonEvent`, so both give the same event.
 *
 * Only the plain shape is read here: after the icon, `DataBaton: ` and ASCII text with each marker where the
 * regular expression's first try finds it. Anything else (non-ASCII text, `%c` styling or a CSS-like end that
 * `stripStyling` would cut, a marker out of place, a value ending in a tab) is left to the grammar
 * (undefined), which may still read it its own way.
 */
import type { TelemetryEvent } from '../../model/index.js';
import type { ByteNames } from '../byte-names.js';
import { batonEvent } from './baton.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const PREFIX = ascii('DataBaton: ');
const SEQ = ascii(' | seq=');
const BEAT = ascii(' beat=');
const EVENT = ascii(' event=');
const HANDLER = ascii(' handler=');

/** The characters `stripIcon` (text.ts) stops at: ASCII letters, digits and `[ { " ' ( / _`. */
const WORD_START = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9[{"'(/_]/.test(ch)) WORD_START[c] = 1;
}

/** Bytes `\S` does not match in ASCII text: TAB, LF, VT, FF, CR and space. */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * The DataBaton event of the message in `b[s, e)` (after the envelope), or undefined to leave the line to the
 * grammar. `names` keeps the repeated values.
 */
export function batonFromBytes(b: Buffer, s: number, e: number, names: ByteNames): TelemetryEvent | undefined {
  if (e === s || b[e - 1] === 59 /* ; */ || b[e - 1] === 32) return undefined; // stripStyling would cut the end
  let i = s;
  while (i < e && (b[i]! >= 128 || WORD_START[b[i]!] === 0)) {
    if (b[i] === 37 /* % */ && b[i + 1] === 99 /* c */) return undefined;
    i++;
  }
  if (!startsWith(b, i, e, PREFIX)) return undefined;
  for (let k = i; k < e; k++) {
    const c = b[k]!;
    if (c >= 128 || (c === 37 && b[k + 1] === 99)) return undefined;
  }
  const diffStart = i + PREFIX.length;
  const seqMark = find(b, SEQ, diffStart, e);
  if (seqMark < 0) return undefined;
  const seqStart = seqMark + SEQ.length;
  const beatMark = find(b, BEAT, seqStart, e);
  if (beatMark < 0) return undefined;
  const beatStart = beatMark + BEAT.length;
  const beatEnd = runEnd(b, beatStart, e);
  if (beatEnd === beatStart || !startsWith(b, beatEnd, e, EVENT)) return undefined;
  const eventStart = beatEnd + EVENT.length;
  const eventEnd = runEnd(b, eventStart, e);
  if (eventEnd === eventStart || !startsWith(b, eventEnd, e, HANDLER)) return undefined;
  const handlerStart = eventEnd + HANDLER.length;
  const handlerEnd = runEnd(b, handlerStart, e);
  if (handlerEnd === handlerStart) return undefined;
  return batonEvent(
    names.get(b, diffStart, seqMark),
    names.get(b, seqStart, beatMark),
    names.get(b, beatStart, beatEnd),
    names.get(b, eventStart, eventEnd),
    names.get(b, handlerStart, handlerEnd),
    b.toString('latin1', handlerEnd, e),
  );
}

/** End of the run of non-space bytes from `i` (what `(\S+)` takes, greedily). */
function runEnd(b: Uint8Array, i: number, e: number): number {
  while (i < e && !isSpace(b[i]!)) i++;
  return i;
}

function startsWith(b: Uint8Array, at: number, e: number, mark: Uint8Array): boolean {
  if (e - at < mark.length) return false;
  for (let k = 0; k < mark.length; k++) if (b[at + k] !== mark[k]) return false;
  return true;
}

/** First offset of `mark` in `b[from, e)`, or -1; never looks past `e` (the next lines). */
function find(b: Uint8Array, mark: Uint8Array, from: number, e: number): number {
  const first = mark[0]!;
  for (let i = from; i + mark.length <= e; i++) if (b[i] === first && startsWith(b, i, e, mark)) return i;
  return -1;
}
