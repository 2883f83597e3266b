/**
 * Snapshot of the reconstructed trace of every real corpus log, as a readable dump: a change in how a
 * log is read or rebuilt shows up as a reviewable diff (`vitest -u` after checking it is right).
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import { renderTraceDump } from '../../src/reports/trace-dump.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

const CORPUS = resolve(import.meta.dirname, '../fixtures/corpus/logs');
const FILES = readdirSync(CORPUS)
  .filter((f) => /\.(log|tsv)$/.test(f))
  .sort();

describe('the reconstructed trace of each corpus log', () => {
  for (const file of FILES) {
    it(file, async () => {
      const store = new InMemoryStore();
      const report = await ingest([join(CORPUS, file)], { store, workers: 0 });
      expect(report.outcomes[0]?.status).toBe('ingested');
      expect(renderTraceDump(await loadTraceData(store))).toMatchSnapshot();
    });
  }
});
