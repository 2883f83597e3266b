/** The table specs round-trip every entity the importers make of a real captured log (see entity-tables.test.ts). */
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { parseFile } from '../../src/ingest/parse-file.js';
import type { TraceEntity } from '../../src/model/index.js';
import { roundTrip, roundTripValues } from '../../src/store/entity-round-trip.js';

const CORPUS = resolve(import.meta.dirname, '../fixtures/corpus/logs');

it.each(['chrome-saved-empty-location.sample-telemetry.log', 'dotnet-mel-console.app-output.log'])(
  'table specs round-trip every entity of %s',
  async (name) => {
    const entities: TraceEntity[] = [];
    await parseFile(resolve(CORPUS, name), 'c1', (b) => entities.push(...b));
    expect(new Set(entities.map((e) => e.kind)).size).toBeGreaterThanOrEqual(5);
    for (const entity of entities) {
      expect(JSON.stringify(roundTrip(entity, 'c1'))).toBe(JSON.stringify(entity));
      expect(JSON.stringify(roundTripValues(entity, 'c1'))).toBe(JSON.stringify(entity));
    }
  },
);
