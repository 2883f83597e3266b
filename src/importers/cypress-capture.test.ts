import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cypressCaptureImporter } from './cypress-capture.js';
import { importFile, importText } from './import-file.js';

const FIXTURE = path.resolve(__dirname, '../../test/fixtures/cypress-capture/component-resize.log');
const at = (iso: string) => Date.parse(iso);

describe('cypress-capture', () => {
  it('reads every writer style of the real captures', async () => {
    const r = await importFile(FIXTURE);
    expect(r.importer.id).toBe('cypress-capture');
    expect(r.unknown).toEqual([]);
    expect(
      r.records.map(({ line, lineCount, level, timeMs, message }) => ({ line, lineCount, level, timeMs, message })),
    ).toEqual([
      {
        line: 1,
        lineCount: 1,
        level: 'log',
        timeMs: at('2025-11-17T16:40:45.055Z'),
        message: '⏱️ PerformanceTracker: Beat 2 completed in 8.90ms',
      },
      {
        line: 2,
        lineCount: 1,
        level: 'log',
        timeMs: at('2025-11-17T16:40:45.055Z'),
        message: '✅ Completed in 8.90ms',
      },
      {
        line: 3,
        lineCount: 1,
        level: 'log',
        timeMs: at('2025-11-17T16:40:45.055Z'),
        message: '✅ BeatExecutor: Beat 2 (control:panel:ui:sections:generate) completed in 9ms',
      },
      {
        line: 4,
        lineCount: 2,
        level: 'log',
        timeMs: at('2025-11-17T16:40:45.056Z'),
        message: '🎯 Event: control:panel:ui:render',
      },
      {
        line: 6,
        lineCount: 1,
        level: 'log',
        timeMs: at('2025-11-17T16:40:45.056Z'),
        message:
          '🕐 [BEAT EXECUTOR] About to emitAsync for event "control:panel:ui:render" at 2025-11-17T16:40:45.056Z (perf: 1843.00ms)',
      },
      {
        line: 7,
        lineCount: 1,
        level: 'log',
        timeMs: at('2025-11-17T16:40:43.286Z'),
        message: '🎼 Initializing new conductor instance...',
      },
      {
        line: 8,
        lineCount: 1,
        level: 'log',
        timeMs: at('2025-11-17T16:41:04.098Z'),
        message: '🎼 Initializing new conductor instance...',
      },
      {
        line: 9,
        lineCount: 1,
        level: 'log',
        timeMs: at('2025-11-17T16:41:06.125Z'),
        message: '✅ SequenceExecutor: Sequence "Header UI Theme Toggle" completed in 9ms',
      },
      {
        line: 10,
        lineCount: 1,
        level: 'info',
        timeMs: undefined,
        message:
          'Download the React DevTools for a better development experience: https://react.dev/link/react-devtools',
      },
      { line: 11, lineCount: 1, level: 'log', timeMs: undefined, message: '🧪 TEST: Console capture is working' },
      {
        line: 12,
        lineCount: 1,
        level: undefined,
        timeMs: undefined,
        message: '[complete] ✅ Component drag and control panel integration verified',
      },
      {
        line: 13,
        lineCount: 1,
        level: undefined,
        timeMs: undefined,
        message: '[resize] initial width: 120, after: 159.84375, delta: 39.84375',
      },
    ]);
    expect(r.records[3]!.continuation).toEqual([
      '{"sequence":"Control Panel UI Render","movement":"Movement 1","beat":3,"type":"UNKNOWN","timing":"immediate","dynamics":"mf"}',
    ]);
  });

  it('prefers the inner ISO, maps WARN/ERROR, and keeps stray lines as unknown', () => {
    const r = importText(
      cypressCaptureImporter,
      [
        '[2025-11-17T16:40:45.055Z] WARN 2025-11-17T16:40:45.100Z ⚠️ slow',
        '[2025-11-17T16:40:46.000Z] ERROR ❌ failed',
        'Cypress run finished',
      ].join('\n'),
    );
    expect(r.records).toEqual([
      { line: 1, lineCount: 1, level: 'warn', timeMs: at('2025-11-17T16:40:45.100Z'), message: '⚠️ slow' },
      { line: 2, lineCount: 1, level: 'error', timeMs: at('2025-11-17T16:40:46.000Z'), message: '❌ failed' },
    ]);
    expect(r.unknown).toEqual([{ line: 3, text: 'Cypress run finished' }]);
  });
});
