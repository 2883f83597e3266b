/**
 * A parsed chunk (parse-chunk.ts) packed for the thread that rebuilds the file: its records and events as
 * typed arrays that are transferred, not copied, plus each distinct string of the chunk once and each
 * distinct object shape (its keys) once. The JSON it replaces was bigger than the log itself (the same
 * names and request ids on every line) and its writing and reading took longer than parsing the chunk.
 *
 * The values are plain data: objects, arrays, strings, numbers, booleans and null, as JSON would carry
 * them, but exactly: `undefined` array items, NaN, ±Infinity and -0 arrive as they left; object keys whose
 * value is undefined are left out, as JSON leaves them. Anything else (a function, a class instance, a
 * bigint) is refused, and the chunk is parsed whole instead.
 *
 * Values are written depth first: one tag per value; a number's value in `numbers`; a string's index in
 * `strings`, an object's index in `shapes` and an array's length in `refs`, each in the order met.
 */

enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Number = 4,
  EmptyString = 5,
  String = 6,
  Array = 7,
  Object = 8,
}

export interface PackedValue {
  readonly tags: Uint8Array;
  readonly numbers: Float64Array;
  readonly refs: Uint32Array;
  readonly strings: readonly string[];
  /** The keys of each object shape, in the objects' own order. */
  readonly shapes: readonly (readonly string[])[];
}

/** The typed arrays of a packed value, for `postMessage`'s transfer list. */
export function packedTransferables(packed: PackedValue): ArrayBuffer[] {
  return [packed.tags.buffer, packed.numbers.buffer, packed.refs.buffer] as ArrayBuffer[];
}

/** Growable typed array: doubles when full, `done` returns the written part. */
class Column<A extends Uint8Array | Float64Array | Uint32Array> {
  length = 0;
  constructor(public data: A) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => A)(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  done(): A {
    return this.data.slice(0, this.length) as A;
  }
}

interface ShapeNode {
  readonly keys: readonly string[];
  /** Index in `shapes` of the objects whose keys end here; -1 when none has yet. */
  shape: number;
  readonly next: Map<string, ShapeNode>;
}

export function packValue(value: unknown): PackedValue {
  const tags = new Column(new Uint8Array(1 << 16));
  const numbers = new Column(new Float64Array(1 << 14));
  const refs = new Column(new Uint32Array(1 << 15));
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const shapes: (readonly string[])[] = [];
  // Shapes as a tree of keys: an object's shape is found by walking its keys, no key list built per object.
  const shapeRoot: ShapeNode = { keys: [], shape: -1, next: new Map() };

  const writeObject = (record: Record<string, unknown>): void => {
    let node = shapeRoot;
    for (const key in record) {
      if (record[key] === undefined || !Object.hasOwn(record, key)) continue;
      let next = node.next.get(key);
      if (next === undefined) {
        next = { keys: [...node.keys, key], shape: -1, next: new Map() };
        node.next.set(key, next);
      }
      node = next;
    }
    if (node.shape < 0) node.shape = shapes.push(node.keys) - 1;
    tags.push(Tag.Object);
    refs.push(node.shape);
    for (const key of node.keys) write(record[key]);
  };
  const write = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length === 0) tags.push(Tag.EmptyString);
      else {
        let at = stringIndex.get(v);
        if (at === undefined) {
          at = strings.push(v) - 1;
          stringIndex.set(v, at);
        }
        tags.push(Tag.String);
        refs.push(at);
      }
    } else if (typeof v === 'number') {
      tags.push(Tag.Number);
      numbers.push(v);
    } else if (typeof v === 'boolean') tags.push(v ? Tag.True : Tag.False);
    else if (v === undefined) tags.push(Tag.Undefined);
    else if (v === null) tags.push(Tag.Null);
    else if (Array.isArray(v)) {
      tags.push(Tag.Array);
      refs.push(v.length);
      for (let i = 0; i < v.length; i++) write(v[i]);
    } else if (typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new Error(`cannot pack a ${proto?.constructor?.name}`);
      writeObject(v as Record<string, unknown>);
    } else throw new Error(`cannot pack a ${typeof v}`);
  };
  write(value);
  return { tags: tags.done(), numbers: numbers.done(), refs: refs.done(), strings, shapes };
}

/** Reads a packed value back; each shape's objects are made by one function built for it (same hidden class). */
export function unpackValue(packed: PackedValue): unknown {
  return new Unpacker(packed).value();
}

class Unpacker {
  private tag = 0;
  private number = 0;
  private ref = 0;
  private readonly makers: ((u: Unpacker) => unknown)[];

  constructor(private readonly packed: PackedValue) {
    this.makers = packed.shapes.map(objectMaker);
  }

  value(): unknown {
    const { tags, numbers, refs, strings } = this.packed;
    switch (tags[this.tag++] as Tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Number:
        return numbers[this.number++];
      case Tag.EmptyString:
        return '';
      case Tag.String:
        return strings[refs[this.ref++]!];
      case Tag.Array: {
        const length = refs[this.ref++]!;
        const out = new Array<unknown>(length);
        for (let i = 0; i < length; i++) out[i] = this.value();
        return out;
      }
      case Tag.Object:
        return this.makers[refs[this.ref++]!]!(this);
      default:
        throw new Error(`packed chunk: bad tag at ${this.tag - 1}`);
    }
  }
}

/**
 * A function that reads one object of these keys: an object literal, so every object of a shape shares one
 * hidden class (keyed stores one by one were slower and left them in dictionary mode). Its properties are
 * read in key order: an object literal evaluates left to right. `__proto__` as a literal key would set the
 * prototype, so a shape with it is built by defining properties.
 */
function objectMaker(keys: readonly string[]): (u: Unpacker) => unknown {
  if (keys.includes('__proto__')) {
    return (u) => {
      const out: Record<string, unknown> = {};
      for (const key of keys)
        Object.defineProperty(out, key, { value: u.value(), enumerable: true, writable: true, configurable: true });
      return out;
    };
  }
  const body = keys.map((k) => `${JSON.stringify(k)}: u.value()`).join(', ');
  return new Function('u', `return { ${body} };`) as (u: Unpacker) => unknown;
}
