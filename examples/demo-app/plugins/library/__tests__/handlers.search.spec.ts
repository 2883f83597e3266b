import { describe, expect, it } from 'vitest';
import { filterComponents, normalizeQuery } from '../src/symphonies/search.symphony.js';

describe('LibraryPlugin search handlers', () => {
  it('normalizeQuery - lowercases and splits the query into terms', () => {
    const ctx = { payload: {} as Record<string, unknown> };
    normalizeQuery({ query: '  Form  FIELD ' }, ctx);
    expect(ctx.payload['terms']).toEqual(['form', 'field']);
  });

  it('filterComponents - keeps components matching every term', () => {
    const ctx = { payload: { terms: ['field', 'check'] } as Record<string, unknown> };
    filterComponents({}, ctx);
    expect(ctx.payload['results']).toEqual(['lib-checkbox']);
    expect(ctx.payload['resultCount']).toBe(1);
  });
});
