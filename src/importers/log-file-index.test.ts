import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvelopeLine } from './envelope-line.js';
import { importFile } from './import-file.js';

const FIXTURE = path.resolve(__dirname, '../../test/fixtures/log-file-index/index.tsv');
const CORPUS_TSV = path.resolve(
  __dirname,
  '../../test/fixtures/corpus/logs/first-and-last-lines-of-97-production-logs.tsv',
);

describe('log-file-index', () => {
  it('yields the first and last line of each row, read with the right envelope', async () => {
    const r = await importFile(FIXTURE);
    expect(r.importer.id).toBe('log-file-index');
    expect(r.unknown).toEqual([]);
    expect(r.records.map((x) => x.line)).toEqual([2, 3, 4, 5, 5]);
    expect(r.records[0]!.message).toMatch(/^C:\\source\\repos\\.*warning NU1603/);
    expect(r.records[1]).toEqual({
      line: 3,
      lineCount: 1,
      location: 'EventBus.ts:329',
      message: '🎼 EventBus: Using internal conductor (legacy mode)',
    });
    expect(r.records[2]).toEqual({
      line: 4,
      lineCount: 1,
      location: 'EventBus.ts:56',
      timeMs: Date.parse('2025-11-10T21:56:16.932Z'),
      message: '🎼 EventBus: Using internal conductor (legacy mode)',
    });
    expect(r.records[3]).toEqual({
      line: 5,
      lineCount: 1,
      level: 'log',
      timeMs: Date.parse('2025-11-13T06:05:51.274Z'),
      message: '🎼 EventBus: Using internal conductor (legacy mode)',
    });
    expect(r.records[4]).toEqual({
      line: 5,
      lineCount: 1,
      message: '[resize] initial width: 120, after: 160, delta: 40',
    });
  });

  it('exercises every envelope of the 97 real logs', async () => {
    const { readFile } = await import('node:fs/promises');
    const rows = (await readFile(CORPUS_TSV, 'utf8')).split('\n').slice(1).filter(Boolean);
    const counts: Record<string, number> = {};
    for (const row of rows) {
      for (const cell of row.split('\t').slice(3)) {
        const hit = parseEnvelopeLine(cell.replace(/\r$/, ''));
        if (hit) counts[hit.format] = (counts[hit.format] ?? 0) + 1;
      }
    }
    expect(rows).toHaveLength(97);
    expect(counts).toEqual({ 'chrome-console': 48, 'cypress-capture': 78, 'plain-text': 7 });
  });
});
