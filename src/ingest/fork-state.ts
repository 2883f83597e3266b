/**
 * A deep copy of a parse pipeline's state (a line parser and the trace builder behind it) that can be run to its
 * end without touching the original: `beatscope serve` asks "what would the store hold if the file ended here?"
 * after every round of appended lines, then goes on reading with the original (growing-file.ts).
 *
 * Copies plain objects, class instances (same prototype), arrays, Maps, Sets, Dates and typed arrays; shares
 * primitives, frozen objects and RegExps without the global or sticky flag (no state of their own). An object
 * reached twice is copied once, so aliasing inside the state is kept (the run tracker and the builder push to the
 * same output array). A function cannot be copied: a closure in the copy would go on acting on the original. So
 * every function in the state must be named in `replace` (original → what the copy uses instead, e.g. a sink
 * that collects the copy's output); any other is an error that says where it was found. `replace` works for
 * objects too (a diagnostics list the copy must not add to).
 */
export function forkState<T>(root: T, replace: ReadonlyMap<unknown, unknown> = new Map()): T {
  const copies = new Map<unknown, unknown>(replace);
  const copy = (value: unknown, path: string): unknown => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (copies.has(value)) return copies.get(value);
    if (typeof value === 'function') {
      throw new Error(`cannot fork a parse state holding a function at ${path} (${value.name || 'anonymous'})`);
    }
    if (Object.isFrozen(value) || (value instanceof RegExp && !value.global && !value.sticky)) return value;
    if (value instanceof Date) return remember(value, new Date(value.getTime()));
    if (ArrayBuffer.isView(value)) return remember(value, (value as unknown as Uint8Array).slice());
    if (value instanceof Map) {
      const out = remember(value, new Map());
      for (const [k, v] of value) out.set(copy(k, `${path}.key`), copy(v, `${path}.get(${String(k)})`));
      return out;
    }
    if (value instanceof Set) {
      const out = remember(value, new Set());
      for (const v of value) out.add(copy(v, `${path}.item`));
      return out;
    }
    if (Array.isArray(value)) {
      const out = remember(value, new Array<unknown>(value.length));
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i], `${path}[${i}]`);
      return out;
    }
    const out = remember(value, Object.create(Object.getPrototypeOf(value)) as object);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
      if ('value' in descriptor) descriptor.value = copy(descriptor.value, `${path}.${String(key)}`);
      Object.defineProperty(out, key, descriptor);
    }
    return out;
  };
  const remember = <V>(original: object, fresh: V): V => {
    copies.set(original, fresh);
    return fresh;
  };
  return copy(root, 'state') as T;
}
