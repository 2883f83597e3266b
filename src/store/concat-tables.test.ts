import { describe, expect, it } from 'vitest';
import { ColumnBatchEncoder, decodeColumnBatch } from './column-batch.js';
import { concatTables } from './concat-tables.js';
import { ENTITY_KINDS } from './entity-tables.js';
import { fixtureEntities } from './store-fixtures.js';

const A = 'aaaaaaaaaaaaaaaa';

describe('concatTables', () => {
  it('joins tables of every kind into one that decodes to their rows in order: texts, lists, frames, NULLs', () => {
    const entities = fixtureEntities(A);
    // Three encodings of the fixture (every kind, NULL and non-NULL values, in three orders), joined kind by kind.
    const parts = [entities, [...entities].reverse(), [...entities.slice(3), ...entities.slice(0, 3)]].map((part) =>
      new ColumnBatchEncoder(A).encode(part),
    );
    let kinds = 0;
    for (const kind of ENTITY_KINDS) {
      const tables = parts.flatMap((b) => b.tables.filter((t) => t.kind === kind));
      if (tables.length === 0) continue;
      kinds++;
      const joined = concatTables(tables);
      expect(joined.rows).toBe(tables.reduce((n, t) => n + t.rows, 0));
      expect(decodeColumnBatch({ tables: [joined] }, A), kind).toStrictEqual(
        tables.flatMap((t) => decodeColumnBatch({ tables: [t] }, A)),
      );
    }
    expect(kinds).toBe(new Set(entities.map((e) => e.kind)).size);
  });

  it('refuses tables of different kinds', () => {
    const [a, b] = new ColumnBatchEncoder(A).encode(fixtureEntities(A)).tables;
    expect(() => concatTables([a!, b!])).toThrow(/rows joined to/);
  });
});
