import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, importText } from './import-file.js';
import { formatJsonlEntry, JSONL_HEADER, jsonlEventsImporter } from './jsonl-events.js';

const FIXTURE = path.resolve(__dirname, '../../test/fixtures/jsonl-events/session.jsonl');

describe('jsonl-events', () => {
  it('reads the v1 fixture: epoch and ISO times, optional fields', async () => {
    const r = await importFile(FIXTURE);
    expect(r.importer.id).toBe('jsonl-events');
    expect(r.unknown).toEqual([]);
    expect(r.records).toHaveLength(5);
    expect(r.records[1]).toEqual({
      line: 3,
      lineCount: 1,
      timeMs: Date.parse('2025-11-10T21:56:20.232Z'),
      level: 'log',
      location: 'EventBus.ts:56',
      message: '✅ SequenceExecutor: Sequence "Library Load" completed in 78ms',
    });
    expect(r.records[2]).toEqual({ line: 4, lineCount: 1, level: 'log', indent: 1, message: '🎼 Sequence: Demo Load' });
    expect(r.records[3]!.continuation).toEqual(['at explode (file:///tmp/mcx/gen.mjs:12:26)']);
    expect(r.records[4]!.category).toBe('MusicalConductor.Avalonia.Engine.JintEngineHost');
  });

  it('keeps invalid lines as unknown with a diagnostic naming the line', () => {
    const r = importText(
      jsonlEventsImporter,
      [
        JSONL_HEADER,
        '{"t":1,"msg":"ok"}',
        '{"t":1,"msg":',
        '{"t":1}',
        '{"t":"yesterday","msg":"x"}',
        '{"level":"loud","msg":"x"}',
      ].join('\n'),
    );
    expect(r.records).toEqual([{ line: 2, lineCount: 1, timeMs: 1, message: 'ok' }]);
    expect(r.unknown.map((u) => u.line)).toEqual([3, 4, 5, 6]);
    expect(r.diagnostics.map((d) => [d.line, d.severity])).toEqual([
      [3, 'warning'],
      [4, 'warning'],
      [5, 'warning'],
      [6, 'warning'],
    ]);
    expect(r.diagnostics[0]!.message).toMatch(/^line 3: not valid JSON/);
    expect(r.diagnostics.slice(1).map((d) => d.message)).toEqual([
      'line 4: "msg" is missing or not a string',
      'line 5: "t" is not an ISO-8601 time: yesterday',
      'line 6: unknown "level": loud',
    ]);
  });

  it('warns about an unknown version and still reads the entries', () => {
    const r = importText(jsonlEventsImporter, '{"beatscope":"console","version":2}\n{"msg":"x"}\n');
    expect(r.records).toEqual([{ line: 2, lineCount: 1, message: 'x' }]);
    expect(r.diagnostics).toEqual([{ line: 1, severity: 'warning', message: 'JSONL version 2; reading as version 1' }]);
  });

  it('writes records with a stable field order', () => {
    const line = formatJsonlEntry({
      line: 9,
      lineCount: 2,
      message: 'm',
      continuation: ['c'],
      indent: 2,
      category: 'Cat',
      location: 'A.ts:1',
      level: 'warn',
      timeMs: 5,
    });
    expect(line).toBe('{"t":5,"level":"warn","loc":"A.ts:1","cat":"Cat","msg":"m","indent":2,"cont":["c"]}');
  });
});
