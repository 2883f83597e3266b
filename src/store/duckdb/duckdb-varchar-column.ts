/**
 * Fills a VARCHAR vector of a data chunk from a dictionary-encoded column with as few native calls as
 * possible: DuckDB's per-string native call (`vector_assign_string_element`) used to be most of the
 * ingest time, and telemetry text is repetitive (one file id, a handful of handler, event and sequence
 * names per file). Each row's `duckdb_string_t` slot (16 bytes: uint32 length, then either 12 inline
 * bytes or a 4-byte prefix and a pointer into the vector's string heap) is written one of three ways:
 *   - ASCII up to 12 bytes: the slot is built in JS once per dictionary entry (length, bytes, zero
 *     padding: DuckDB compares the padding, so it must be zero) and copied into each row;
 *   - a longer value already assigned in this chunk: that row's slot is copied, so both rows point at the
 *     same bytes of the vector's own heap (the appender copies the strings out with the chunk);
 *   - otherwise: one native assignment.
 * `vector_get_data` hands out a copy of the slots, so they are patched in JS after the native
 * assignments and copied back in one call. Invariant: the vector is fresh (all rows valid).
 */
import duckdb from '@duckdb/node-bindings';

const SLOT_BYTES = 16;
const SLOT_WORDS = SLOT_BYTES / 4;
const INLINE_BYTES = 12;

/** Per-batch view of a dictionary: the prebuilt inline slot of each entry that has one. */
export class VarcharDictionary {
  /** 1 where the entry is inlined (its slot is in `slots`), 0 where it needs a native assignment. */
  readonly inline: Uint8Array;
  readonly slots: Int32Array;

  constructor(readonly dict: readonly string[]) {
    this.inline = new Uint8Array(dict.length);
    const bytes = new Uint8Array(dict.length * SLOT_BYTES);
    dict.forEach((value, code) => {
      if (value.length > INLINE_BYTES || !isAscii(value)) return;
      this.inline[code] = 1;
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
  // Row of this chunk where each dictionary entry was assigned natively, -1 when not yet.
  const assignedAt = new Int32Array(dict.length).fill(-1);
  let validity: Uint8Array | null = null;
  let patches = 0;
  for (let row = 0; row < rowCount; row++) {
    const code = codes[from + row]!;
    if (code < 0) {
      validity = withNull(validity, row, rowCount);
    } else if (inline[code] === 1 || assignedAt[code]! >= 0) patches++;
    else {
      duckdb.vector_assign_string_element(vector, row, dict[code]!);
      assignedAt[code] = row;
    }
  }
  if (patches > 0) {
    const copy = duckdb.vector_get_data(vector, rowCount * SLOT_BYTES);
    const bytes = copy.byteOffset % 4 === 0 ? copy : copy.slice();
    const slots = new Int32Array(bytes.buffer, bytes.byteOffset, rowCount * SLOT_WORDS);
    for (let row = 0; row < rowCount; row++) {
      const code = codes[from + row]!;
      if (code < 0) continue;
      const source = inline[code] === 1 ? dictionary.slots : slots;
      const at = (inline[code] === 1 ? code : assignedAt[code]!) * SLOT_WORDS;
      if (source === slots && at === row * SLOT_WORDS) continue;
      const to = row * SLOT_WORDS;
      slots[to] = source[at]!;
      slots[to + 1] = source[at + 1]!;
      slots[to + 2] = source[at + 2]!;
      slots[to + 3] = source[at + 3]!;
    }
    duckdb.copy_data_to_vector(vector, 0, bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  }
  if (validity) setValidity(vector, validity);
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
