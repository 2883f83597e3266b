/**
 * The packing a parsed chunk crosses threads in (src/ingest/chunk-codec.ts) gives back exactly what was
 * packed: a chunk of a real console, and random plain values, including what JSON would have lost.
 */
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packValue, unpackValue } from '../../src/ingest/chunk-codec.js';
import { decodeChunk, encodeChunk, parseChunk } from '../../src/ingest/parse-chunk.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('chunk codec', () => {
  it('gives back a parsed chunk of a real console as parsed, its strings and shapes each stored once', async () => {
    const path = join(ROOT, 'test/fixtures/chrome-console/iso-beat-headers-filtered.log');
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(path));
    const chunk = await parseChunk({ path, format: 'chrome-console', start: 0, end: size, encoding: 'utf-8' });
    expect(chunk.ops.length).toBeGreaterThan(100);
    const packed = encodeChunk(chunk);
    // toEqual: keys whose value is undefined (an op's absent event) are left out, as JSON left them.
    expect(decodeChunk(packed)).toEqual(chunk);
    expect(new Set(packed.strings).size).toBe(packed.strings.length);
    const shapes = packed.shapes.map((keys) => keys.join(','));
    expect(new Set(shapes).size).toBe(shapes.length);
    // Far fewer shapes than objects: one per distinct key list (records, event kinds, ops).
    expect(packed.shapes.length).toBeLessThan(chunk.ops.length / 4);
  });

  // Not 'constructor' as a key: toStrictEqual compares the values' `constructor` properties as their classes.
  it('round-trips random plain values exactly, where JSON would not', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.double(), // NaN, ±Infinity and -0 included
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(fc.oneof(tie('node'), fc.constant(undefined))),
      object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'toString', '0', '1')), tie('node'), {
        noNullPrototype: true,
      }),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(unpackValue(packValue(v))).toStrictEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves out keys whose value is undefined, as JSON does', () => {
    expect(unpackValue(packValue({ a: 1, b: undefined, c: [undefined, 2] }))).toStrictEqual({
      a: 1,
      c: [undefined, 2],
    });
  });

  it('refuses what is not plain data', () => {
    expect(() => packValue({ at: new Date(0) })).toThrow('cannot pack a Date');
    expect(() => packValue([1n])).toThrow('cannot pack a bigint');
    expect(() => packValue({ f: () => 1 })).toThrow('cannot pack a function');
  });
});
