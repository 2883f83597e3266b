/**
 * Fills a VARCHAR vector of a data chunk from a dictionary-encoded column with as few native calls as
 * possible: DuckDB's per-string native call (`vector_assign_string_element`) used to be most of the
 * ingest time. Telemetry text is repetitive (one file id, a handful of handler, event and sequence
 * names per file), and what is not (entity ids, request ids) is ASCII. Each row's `duckdb_string_t` slot
 * (16 bytes: uint32 length, then either 12 inline bytes or a 4-byte prefix and a pointer into the vector's
 * string heap) is written one of four ways:
 *   - ASCII up to 12 bytes: the slot is built in JS once per dictionary entry (length, bytes, zero
 *     padding: DuckDB compares the padding, so it must be zero) and copied into each row;
 *   - a longer value already assigned in this chunk: that row's slot is copied, so both rows point at the
 *     same bytes of the vector's own heap (the appender copies the strings out with the chunk);
 *   - a longer ASCII value met for the first time in this chunk: all of them are joined and assigned in
 *     one native call, and each row's slot points at its value's bytes inside that one string (ASCII: a
 *     character offset is a byte offset);
 *   - otherwise (longer, not ASCII): one native assignment.
 * The slots are built in JS and copied into the vector in one call. DuckDB's own slots are read back
 * (`vector_get_data`, a copy) only for the pointers it assigned: the joined string's, and the non-ASCII
 * values'. Each native call on a fresh chunk costs tens of µs whatever its size, which for the small chunks
 * of small files was more than their rows. Invariant: the vector is fresh (all rows valid).
 */
import duckdb from '@duckdb/node-bindings';

const SLOT_BYTES = 16;
const SLOT_WORDS = SLOT_BYTES / 4;
const INLINE_BYTES = 12;
/** VarcharDictionary.inline values; 0 is a native assignment of its own. */
const INLINE = 1;
const JOINED = 2;
/** 2^32: carry out of a pointer's low word. */
const WORD = 2 ** 32;

/** Per-batch view of a dictionary: the prebuilt inline slot of each entry that has one. */
export class VarcharDictionary {
  /**
   * How each entry is written: INLINE (its slot is in `slots`), JOINED (longer ASCII: assigned with the
   * chunk's other first-seen ones in one call) or 0 (longer, not ASCII: a native assignment of its own).
   */
  readonly inline: Uint8Array;
  readonly slots: Int32Array;

  constructor(readonly dict: readonly string[]) {
    this.inline = new Uint8Array(dict.length);
    const bytes = new Uint8Array(dict.length * SLOT_BYTES);
    dict.forEach((value, code) => {
      if (!isAscii(value)) return;
      if (value.length > INLINE_BYTES) {
        this.inline[code] = JOINED;
        return;
      }
      this.inline[code] = INLINE;
      const at = code * SLOT_BYTES;
      bytes[at] = value.length; // little-endian uint32; the other length bytes stay 0
      for (let i = 0; i < value.length; i++) bytes[at + 4 + i] = value.charCodeAt(i);
    });
    this.slots = new Int32Array(bytes.buffer);
  }
}

/**
 * Writes `codes[from .. from + rowCount)` into rows 0.. of `vector` (a chunk's VARCHAR column, or the
 * child of a list column).
 */
export function fillVarcharColumn(
  vector: duckdb.Vector,
  dictionary: VarcharDictionary,
  codes: Int32Array,
  from: number,
  rowCount: number,
): void {
  const { dict, inline } = dictionary;
  // Row of this chunk where each dictionary entry first appears, -1 when not yet.
  const firstRow = new Int32Array(dict.length).fill(-1);
  // Longer ASCII entries first met in this chunk, in row order; rows of longer non-ASCII ones met first.
  const joined: number[] = [];
  const native: number[] = [];
  let validity: Uint8Array | null = null;
  for (let row = 0; row < rowCount; row++) {
    const code = codes[from + row]!;
    if (code < 0) validity = withNull(validity, row, rowCount);
    else if (inline[code] !== INLINE && firstRow[code]! < 0) {
      firstRow[code] = row;
      if (inline[code] === JOINED) joined.push(code);
      else native.push(row);
    }
  }
  // Every slot is written here and copied in at once; a NULL row's stays zero.
  const slots = new Int32Array(rowCount * SLOT_WORDS);
  if (joined.length > 0) {
    // Assigned to row 0 only to get it into the vector's heap: row 0's slot is written like every other below.
    duckdb.vector_assign_string_element(vector, 0, joined.map((code) => dict[code]).join(''));
    pointIntoJoined(slots, dict, joined, firstRow, slotWords(vector, 1));
  }
  if (native.length > 0) {
    for (const row of native) duckdb.vector_assign_string_element(vector, row, dict[codes[from + row]!]!);
    const assigned = slotWords(vector, native[native.length - 1]! + 1);
    for (const row of native) slots.set(assigned.subarray(row * SLOT_WORDS, (row + 1) * SLOT_WORDS), row * SLOT_WORDS);
  }
  for (let row = 0; row < rowCount; row++) {
    const code = codes[from + row]!;
    if (code < 0) continue;
    const isInline = inline[code] === INLINE;
    const at = (isInline ? code : firstRow[code]!) * SLOT_WORDS;
    if (!isInline && at === row * SLOT_WORDS) continue;
    // A repeat of a longer value points at the same bytes as its first row.
    slots.set((isInline ? dictionary.slots : slots).subarray(at, at + SLOT_WORDS), row * SLOT_WORDS);
  }
  duckdb.copy_data_to_vector(vector, 0, slots.buffer as ArrayBuffer, slots.byteOffset, slots.byteLength);
  if (validity) setValidity(vector, validity);
}

/** The first `rows` slots of `vector`, as 32-bit words (`vector_get_data` hands out a copy). */
function slotWords(vector: duckdb.Vector, rows: number): Int32Array {
  const copy = duckdb.vector_get_data(vector, rows * SLOT_BYTES);
  const bytes = copy.byteOffset % 4 === 0 ? copy : copy.slice();
  return new Int32Array(bytes.buffer, bytes.byteOffset, rows * SLOT_WORDS);
}

/**
 * Writes the slot of each `joined` entry's first row: length, the first 4 bytes as the prefix, and the pointer to
 * its bytes inside the joined string, whose own slot is `base` (a 64-bit little-endian pointer, added to in two
 * 32-bit words).
 */
function pointIntoJoined(
  slots: Int32Array,
  dict: readonly string[],
  joined: readonly number[],
  firstRow: Int32Array,
  base: Int32Array,
): void {
  const baseLow = base[2]! >>> 0;
  const baseHigh = base[3]!;
  let offset = 0;
  for (const code of joined) {
    const value = dict[code]!;
    const to = firstRow[code]! * SLOT_WORDS;
    const low = baseLow + offset;
    const carry = low >= WORD ? 1 : 0;
    slots[to] = value.length;
    slots[to + 1] =
      value.charCodeAt(0) | (value.charCodeAt(1) << 8) | (value.charCodeAt(2) << 16) | (value.charCodeAt(3) << 24);
    slots[to + 2] = (low - carry * WORD) | 0;
    slots[to + 3] = (baseHigh + carry) | 0;
    offset += value.length;
  }
}

/** `mask` (created all valid for `rows` rows when null) with `row` marked NULL. */
export function withNull(mask: Uint8Array | null, row: number, rows: number): Uint8Array {
  const out = mask ?? new Uint8Array(Math.ceil(rows / 64) * 8).fill(0xff);
  out[row >> 3]! &= ~(1 << (row & 7));
  return out;
}

/** Installs a validity bitmask (bit set = valid, little-endian 64-bit words) on a fresh vector. */
export function setValidity(vector: duckdb.Vector, mask: Uint8Array): void {
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer as ArrayBuffer, mask.byteOffset, mask.byteLength);
}

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}
