import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, importText } from './import-file.js';
import { playwrightCaptureImporter } from './playwright-capture.js';

const DIR = path.resolve(__dirname, '../../test/fixtures/playwright-capture');
const at = (iso: string) => Date.parse(iso);
const LAST = {
  level: 'error',
  timeMs: at('2025-08-07T19:24:32.234Z'),
  location: 'http://127.0.0.1:3000/app.js:95',
  message: "Initialization error: TypeError: Failed to resolve module specifier 'musical-conductor'",
  continuation: ['at HTMLButtonElement.initializeConductor (http://127.0.0.1:3000/app.js:70:13)'],
};

describe('playwright-capture', () => {
  it('reads the reformatted text style, unescaping `\\n` into continuation', async () => {
    const r = await importFile(path.join(DIR, 'reformatted.log'));
    expect(r.importer.id).toBe('playwright-capture');
    expect(r.records[0]).toEqual({
      line: 1,
      lineCount: 1,
      level: 'log',
      timeMs: at('2025-08-07T19:24:31.503Z'),
      location: 'http://127.0.0.1:3000/app.js:35',
      message: 'ℹ️ [E2E-TEST] 🚀 E2E Test Application loaded and ready',
    });
    expect(r.records[3]).toEqual({ line: 4, lineCount: 1, ...LAST });
  });

  it('reads JSON lines: ISO or epoch timestamps, string or object locations, testName as category', async () => {
    const r = await importFile(path.join(DIR, 'console.jsonl'));
    expect(r.records).toHaveLength(6);
    expect(r.records[1]).toEqual({
      line: 2,
      lineCount: 1,
      level: 'error',
      timeMs: 1754594671701,
      location: 'http://127.0.0.1:3000/favicon.ico:0',
      category: 'e2e loads the conductor',
      message: 'Failed to load resource: the server responded with a status of 404 (Not Found)',
    });
    expect(r.records[5]).toEqual({ line: 6, lineCount: 1, category: 'e2e loads the conductor', ...LAST });
  });

  it('reads a pretty-printed JSON array, one record per object spanning its lines', async () => {
    const r = await importFile(path.join(DIR, 'console-array.json'));
    expect(r.unknown).toEqual([]);
    expect(r.records.map((x) => [x.line, x.lineCount])).toEqual([
      [2, 10],
      [12, 8],
      [20, 10],
      [30, 8],
    ]);
    expect(r.records[3]).toEqual({ line: 30, lineCount: 8, category: 'e2e loads the conductor', ...LAST });
  });

  it('keeps a broken object as unknown lines with a diagnostic', () => {
    const r = importText(playwrightCaptureImporter, '{"type":"log","message":"ok"}\n{"type": 1}\nplain words\n');
    expect(r.records).toEqual([{ line: 1, lineCount: 1, level: 'log', message: 'ok' }]);
    expect(r.unknown).toEqual([
      { line: 2, text: '{"type": 1}' },
      { line: 3, text: 'plain words' },
    ]);
    expect(r.diagnostics).toEqual([{ line: 2, severity: 'warning', message: 'not a Playwright console object' }]);
  });
});
