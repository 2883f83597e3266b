/**
 * Reading a message's bytes as the grammar reads its text (the byte path's readers: baton-bytes.ts,
 * beat-bytes.ts). Offsets are into one line's bytes; `e` is its end, never looked past (the next lines follow).
 */
import { isWordStart } from './text.js';

export const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * Where the text the grammar reads (the message without its icon, as `stripIcon` cuts it) starts in `b[s, e)`,
 * or -1 when there is none or `stripStyling` would change the message: `%c` in the icon, a `;` or space at
 * its end. `isPlain` checks the rest.
 */
export function textStart(b: Uint8Array, s: number, e: number): number {
  if (e === s || b[e - 1] === 59 /* ; */ || b[e - 1] === 32) return -1;
  let t = s;
  while (t < e && !isWordStart(b[t]!)) {
    if (b[t] === 37 /* % */ && b[t + 1] === 99 /* c */) return -1;
    t++;
  }
  return t < e ? t : -1;
}

/**
 * Whether the text at `b[t, e)` is ASCII without `%c` (styling `stripStyling` would remove): then decoded text
 * and bytes line up one to one.
 */
export function isPlain(b: Uint8Array, t: number, e: number): boolean {
  for (let k = t; k < e; k++) {
    const c = b[k]!;
    if (c >= 128 || (c === 37 && b[k + 1] === 99)) return false;
  }
  return true;
}

/** Bytes `\s` matches in ASCII text: TAB, LF, VT, FF, CR and space. */
export const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

export const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;

/** End of the run of non-space bytes from `i` (what `(\S+)` takes, greedily). */
export function runEnd(b: Uint8Array, i: number, e: number): number {
  while (i < e && !isSpace(b[i]!)) i++;
  return i;
}

/** End of the run of digits from `i` (what `(\d+)` takes). */
export function digitsEnd(b: Uint8Array, i: number, e: number): number {
  while (i < e && isDigit(b[i])) i++;
  return i;
}

export function startsWith(b: Uint8Array, at: number, e: number, mark: Uint8Array): boolean {
  if (at < 0 || e - at < mark.length) return false;
  for (let k = 0; k < mark.length; k++) if (b[at + k] !== mark[k]) return false;
  return true;
}

/** First offset of `mark` in `b[from, e)`, or -1. */
export function find(b: Uint8Array, mark: Uint8Array, from: number, e: number): number {
  const first = mark[0]!;
  for (let i = from; i + mark.length <= e; i++) if (b[i] === first && startsWith(b, i, e, mark)) return i;
  return -1;
}

/**
 * The number ASCII digits (and at most one `.` between digits) in `b[s, e)` spell, as `Number()` reads that
 * text: exactly, since 15 digits or fewer are an exact integer and their division by a power of ten rounds once.
 */
export function numberAt(b: Buffer, s: number, e: number): number {
  if (e - s > 15) return Number(b.toString('latin1', s, e));
  let n = 0;
  let scale = 1;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c === 46 /* . */) scale = 10 ** (e - i - 1);
    else n = n * 10 + (c - 48);
  }
  return scale === 1 ? n : n / scale;
}
