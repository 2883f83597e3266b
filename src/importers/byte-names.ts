/**
 * ASCII byte ranges of a log as strings, shared by the byte path's readers (chrome-bytes.ts,
 * grammar/baton-bytes.ts).
 */

/** Distinct names kept (sequences, events, handlers, plugins, request ids); past this the cache starts over. */
const NAME_LIMIT = 50_000;

/**
 * Byte ranges as strings, one string per distinct value while the cache lasts: names repeat on every
 * line, and one shared string is what the store's encoder and the rebuild compare fastest.
 */
export class ByteNames {
  private readonly byHash = new Map<number, { readonly bytes: Uint8Array; readonly text: string }>();

  /** `latin1` for ASCII names (the same text, decoded faster); `utf8` for ranges that may hold more. */
  constructor(private readonly encoding: 'latin1' | 'utf8' = 'latin1') {}

  get(b: Buffer, s: number, e: number): string {
    let hash = e - s;
    for (let i = s; i < e; i++) hash = (Math.imul(hash, 31) + b[i]!) | 0;
    const known = this.byHash.get(hash);
    if (known !== undefined && sameBytes(known.bytes, b, s, e)) return known.text;
    const text = b.toString(this.encoding, s, e);
    if (this.byHash.size >= NAME_LIMIT) this.byHash.clear();
    // A copy: `b` is a read buffer the next block overwrites (Buffer#slice would be a view of it).
    this.byHash.set(hash, { bytes: Uint8Array.prototype.slice.call(b, s, e), text });
    return text;
  }
}

/** Whether `b[s, e)` holds exactly the bytes of `known`. */
export function sameBytes(known: Uint8Array, b: Uint8Array, s: number, e: number): boolean {
  if (known.length !== e - s) return false;
  for (let k = 0; k < known.length; k++) if (known[k] !== b[s + k]) return false;
  return true;
}
