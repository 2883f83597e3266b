import { describe, expect, it } from 'vitest';
import { decodeCodeIndex, encodeCodeIndex } from './code-index-codec.js';
import { fixtureCodeIndex } from './store-fixtures.js';

describe('stored code index format', () => {
  it('decodes to an equal index whose handler links share the test case objects', () => {
    const index = fixtureCodeIndex('/repo');
    const text = encodeCodeIndex(index);
    const back = decodeCodeIndex(text);
    expect(back).toStrictEqual(index);
    expect(back.handlers[0]!.tests[0]!.test).toBe(back.tests[0]);
    expect(text.length).toBeLessThan(JSON.stringify(index).length);
  });

  it('finds a linked test case by value when the link holds a copy', () => {
    const index = fixtureCodeIndex('/repo');
    const copy = { ...index.tests[0]! };
    const handlers = [{ ...index.handlers[0]!, tests: [{ test: copy, evidence: 'ac-tag' as const }] }];
    expect(decodeCodeIndex(encodeCodeIndex({ ...index, handlers })).handlers[0]!.tests).toStrictEqual([
      { test: copy, evidence: 'ac-tag' },
    ]);
  });

  it('reads the plain CodeIndex JSON written before this format', () => {
    const index = fixtureCodeIndex('/repo');
    expect(decodeCodeIndex(JSON.stringify(index))).toStrictEqual(index);
  });

  it('refuses a later version instead of misreading it', () => {
    expect(() => decodeCodeIndex('{"format":"beatscope-code-index","version":2}')).toThrow(/version 2/);
  });
});
