/**
 * Rows of numbers kept as typed columns, one array per field and no object per row, for the passes that see every
 * handler run of a store. A million runs kept as growing JS arrays (a list per group, a push per run) are copied by
 * every young-generation collection until promoted; typed columns doubled as they fill leave dead buffers, and V8
 * answers ~64 MB of new external memory with a full collection of the whole heap. So the columns are sized once
 * from the row count when it is known (the store's handler-run count) and doubled only when it is not.
 */

type ColumnType = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/** Field name → its column's array type. */
export type ColumnSpec = Readonly<Record<string, ColumnType>>;

export type Columns<S extends ColumnSpec> = { [K in keyof S]: InstanceType<S[K]> };

/** Rows reserved when the count is not known, doubled when full. */
const FIRST_CAPACITY = 1 << 14;

function allocate<S extends ColumnSpec>(spec: S, size: number): Columns<S> {
  const columns: Record<string, Float64Array | Int32Array | Uint8Array> = {};
  for (const [name, Type] of Object.entries(spec)) columns[name] = new Type(size);
  return columns as Columns<S>;
}

export class RowColumns<S extends ColumnSpec> {
  length = 0;
  /** The columns, `length` rows used; replaced when they grow, so read it again after `add`. */
  columns: Columns<S>;
  private capacity: number;

  /** `expected`: the rows that will be added, when known. */
  constructor(
    private readonly spec: S,
    expected = 0,
  ) {
    this.capacity = Math.max(1, expected > 0 ? expected : FIRST_CAPACITY);
    this.columns = allocate(spec, this.capacity);
  }

  /** A new row's index; the columns are grown first when full. */
  add(): number {
    const i = this.length++;
    if (i === this.capacity) this.grow();
    return i;
  }

  /** Every column cut to the rows added (views, valid until the next `add`). */
  rows(): Columns<S> {
    const out: Record<string, Float64Array | Int32Array | Uint8Array> = {};
    for (const [name, column] of Object.entries(this.columns)) out[name] = column.subarray(0, this.length);
    return out as Columns<S>;
  }

  private grow(): void {
    this.capacity *= 2;
    const next = allocate(this.spec, this.capacity);
    for (const name of Object.keys(this.spec)) (next[name] as Float64Array).set(this.columns[name] as Float64Array);
    this.columns = next;
  }
}
