/**
 * Every entity table, round-tripped through its spec alone: the columns' getters make a row the way the
 * DuckDB JS converter returns it (BIGINT as bigint), the derived `fromRow` (or `fromValues`, from the same values
 * in column order) makes it an entity again, and that entity must equal the original, key order included (reports
 * print entities as JSON).
 */
import { describe, expect, it } from 'vitest';
import { roundTrip, roundTripValues } from './entity-round-trip.js';
import { ENTITY_KINDS } from './entity-tables.js';
import { fixtureEntities } from './store-fixtures.js';

describe('entity table specs', () => {
  it('round-trip every kind of the store fixtures, key order included', () => {
    const entities = fixtureEntities('f1');
    expect(new Set(entities.map((e) => e.kind))).toEqual(new Set(ENTITY_KINDS));
    for (const entity of entities) {
      for (const back of [roundTrip(entity, 'f1'), roundTripValues(entity, 'f1')]) {
        expect(back).toStrictEqual(entity);
        expect(JSON.stringify(back)).toBe(JSON.stringify(entity));
      }
    }
  });
});
