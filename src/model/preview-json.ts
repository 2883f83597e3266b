/**
 * Reads a DataBaton `preview=` (docs/log-formats.md §3.4): `JSON.stringify` of at most 3 changed keys, cut at
 * 200 characters, so usually not valid JSON. Everything written before the cut is kept; a value the cut went
 * through is kept as far as it is complete (an object keeps its complete entries) and flagged incomplete, so
 * callers never take a cut value for the whole one.
 */

export interface PartialValue {
  readonly value: unknown;
  /** False when the cut went through this value (its objects/arrays hold only what was complete). */
  readonly complete: boolean;
}

/** A parsed object whose entries are each complete or not; used to search previews without trusting cut values. */
export interface PartialObject {
  readonly entries: ReadonlyMap<string, PartialValue>;
  readonly complete: boolean;
}

class Cut extends Error {}

/** Parses a preview; undefined when it is not an object at all (a foreign line, an empty preview). */
export function parsePreview(text: string): PartialValue | undefined {
  if (!text.startsWith('{')) return undefined;
  const parser = new PartialParser(text);
  try {
    return parser.value();
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * Depth-first walk of every complete value under a key of a partial parse (the key's own value first, then
 * the keys inside it), as `[key, value]`; values the cut went through are descended into but not yielded.
 */
export function* completeEntries(parsed: PartialValue): Generator<[string, unknown]> {
  const stack: PartialValue[] = [parsed];
  while (stack.length > 0) {
    const node = stack.shift()!;
    const entries = ENTRIES.get(node.value as object);
    if (!entries) continue;
    for (const [key, child] of entries) {
      if (child.complete) yield [key, child.value];
      stack.push(child);
    }
  }
}

/** The entries of a parsed object with their completeness; undefined when `parsed` is not an object. */
export function entriesOf(parsed: PartialValue): ReadonlyMap<string, PartialValue> | undefined {
  return parsed.value !== null && typeof parsed.value === 'object' ? ENTRIES.get(parsed.value) : undefined;
}

/** The per-entry completeness of parsed objects (the values themselves stay plain data). */
const ENTRIES = new WeakMap<object, Map<string, PartialValue>>();

class PartialParser {
  private i = 0;
  constructor(private readonly text: string) {}

  value(): PartialValue {
    this.ws();
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { value: this.string(), complete: true };
    return { value: this.literal(), complete: true };
  }

  private object(): PartialValue {
    this.i++;
    const out: Record<string, unknown> = {};
    const entries = new Map<string, PartialValue>();
    ENTRIES.set(out, entries);
    try {
      this.ws();
      if (this.peek() === '}') {
        this.i++;
        return { value: out, complete: true };
      }
      for (;;) {
        this.ws();
        const key = this.string();
        this.ws();
        this.expect(':');
        const child = this.tryValue();
        out[key] = child.value;
        entries.set(key, child);
        if (!child.complete) return { value: out, complete: false };
        this.ws();
        const c = this.next();
        if (c === '}') return { value: out, complete: true };
        if (c !== ',') throw new SyntaxError(`expected , or } at ${this.i}`);
      }
    } catch (error) {
      if (error instanceof Cut) return { value: out, complete: false };
      throw error;
    }
  }

  private array(): PartialValue {
    this.i++;
    const out: unknown[] = [];
    try {
      this.ws();
      if (this.peek() === ']') {
        this.i++;
        return { value: out, complete: true };
      }
      for (;;) {
        const child = this.tryValue();
        if (!child.complete) return { value: out, complete: false };
        out.push(child.value);
        this.ws();
        const c = this.next();
        if (c === ']') return { value: out, complete: true };
        if (c !== ',') throw new SyntaxError(`expected , or ] at ${this.i}`);
      }
    } catch (error) {
      if (error instanceof Cut) return { value: out, complete: false };
      throw error;
    }
  }

  /** A value that may be cut: a cut scalar becomes an incomplete `undefined`. */
  private tryValue(): PartialValue {
    try {
      return this.value();
    } catch (error) {
      if (error instanceof Cut) return { value: undefined, complete: false };
      throw error;
    }
  }

  private string(): string {
    this.expect('"');
    const start = this.i - 1;
    for (;;) {
      const c = this.next();
      if (c === '\\') this.next();
      else if (c === '"') return JSON.parse(this.text.slice(start, this.i)) as string;
    }
  }

  /** Numbers, true, false, null: a literal running into the end of the text may be cut (`12` of `123`). */
  private literal(): unknown {
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.i));
    if (!m || this.i + m[0].length >= this.text.length) {
      if (this.i + (m?.[0].length ?? 0) >= this.text.length) throw new Cut();
      throw new SyntaxError(`bad literal at ${this.i}`);
    }
    this.i += m[0].length;
    return JSON.parse(m[0]) as unknown;
  }

  private ws(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  private peek(): string {
    if (this.i >= this.text.length) throw new Cut();
    return this.text[this.i]!;
  }

  private next(): string {
    const c = this.peek();
    this.i++;
    return c;
  }

  private expect(c: string): void {
    if (this.next() !== c) throw new SyntaxError(`expected ${c} at ${this.i - 1}`);
  }
}
