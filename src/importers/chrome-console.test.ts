import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromeConsoleImporter } from './chrome-console.js';
import { importFile, importText } from './import-file.js';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures/chrome-console');
const at = (iso: string) => Date.parse(iso);
const read = (name: string) => importFile(path.join(FIXTURES, name), chromeConsoleImporter);

describe('chrome-console', () => {
  it('E1: location, ISO, message', async () => {
    const r = await read('e1-location-iso.log');
    expect(r.records[1]).toEqual({
      line: 2,
      lineCount: 1,
      location: 'EventBus.ts:56',
      timeMs: at('2025-11-10T21:56:17.114Z'),
      message: '🎼 SequenceRegistry: Registered sequence "Library Load" (id: library-load-symphony)',
    });
    expect(r.records.map((x) => x.timeMs)).toEqual(
      ['17.114', '17.114', '17.197', '17.198'].map((s) => at(`2025-11-10T21:56:${s}Z`)),
    );
  });

  it('E2: per-source locations, and a `▶ {…}` preview attached to the entry above', async () => {
    const r = await read('e2-per-source-location.log');
    expect(r.records.map((x) => x.location)).toEqual([
      'MovementExecutor.ts:81',
      'PerformanceTracker.ts:51',
      'EventLogger.ts:139',
      'EventLogger.ts:140',
      'EventLogger.ts:144',
      'EventLogger.ts:148',
      'EventLogger.ts:152',
      'DataBaton.ts:114',
    ]);
    expect(r.records[6]).toEqual({
      line: 7,
      lineCount: 2,
      location: 'EventLogger.ts:152',
      message: '🎯 Event: control:panel:ui:sections:generate',
      continuation: [
        "▶ {sequence: 'Control Panel UI Render', movement: 'Movement 1', beat: 2, type: 'UNKNOWN', timing: 'immediate', ...}",
      ],
    });
    expect(r.unknown).toEqual([]);
  });

  it('E3: empty location column, bare `Object` lines as continuation', async () => {
    const r = await read('e3-empty-location.log');
    expect(r.records).toHaveLength(10);
    expect(r.records[4]).toEqual({
      line: 5,
      lineCount: 2,
      message: '🎯 Event: library:components:load',
      continuation: ['Object'],
    });
    expect(r.records[5]).toEqual({
      line: 7,
      lineCount: 1,
      message: '🎼 PluginManager: rehydrated 2 callback(s) for event library:components:load',
    });
  });

  it('E3 with ISO and E4 installHook.js:1 in one file', async () => {
    const r = await read('e3-e4-empty-location-iso.log');
    expect(r.records[0]).toEqual({
      line: 1,
      lineCount: 1,
      timeMs: at('2025-11-13T13:36:47.497Z'),
      message: '⏱️ PerformanceTracker: Cleaned up failed movement Get Current Theme for Header UI Theme Get',
    });
    expect(r.records[7]).toMatchObject({ location: 'installHook.js:1', timeMs: at('2025-11-13T13:36:57.241Z') });
    expect(r.records.filter((x) => x.location === undefined)).toHaveLength(7);
  });

  it('E5: other locations, no timestamps, inline `Object` kept in the message', async () => {
    const r = await read('e5-other-locations.log');
    expect(r.records).toHaveLength(11);
    expect(r.records.every((x) => x.timeMs === undefined)).toBe(true);
    expect(r.records[4]).toEqual({
      line: 5,
      lineCount: 1,
      location: 'IsolationHarnessPlayground.tsx:52',
      message: '🎨 [Playground] Drag started: btn-1',
    });
    expect(r.records[8]).toEqual({
      line: 9,
      lineCount: 1,
      location: 'runtime-loaders.ts:321',
      message: 'Fetch status Object',
    });
  });

  it('E6: ISO only', async () => {
    const r = await read('e6-iso-only.log');
    expect(r.records[1]).toEqual({
      line: 2,
      lineCount: 1,
      timeMs: at('2025-11-10T21:56:40.449Z'),
      message: '🎼 PluginInterfaceFacade.play(): CanvasComponentPlugin → canvas-component-create-symphony',
    });
  });

  it('keeps time only on the lines that carry one, strips styling, attaches stack frames, keeps strays as unknown', () => {
    const r = importText(
      chromeConsoleImporter,
      [
        '# note',
        'EventBus.ts:56 2025-11-17T20:22:33.840Z %c✅ Completed in 2.00ms color: #28A745; font-weight: bold;',
        'EventBus.ts:329 🎼 EventBus: Using internal conductor (legacy mode)',
        'installHook.js:1 ❌ Failed: Error: boom',
        '    at run (PluginManager.ts:247:58)',
        '',
        ' 2025-11-13T13:36:47.497Z Object',
      ].join('\n'),
    );
    expect(r.unknown).toEqual([{ line: 1, text: '# note' }]);
    expect(r.records).toEqual([
      {
        line: 2,
        lineCount: 1,
        location: 'EventBus.ts:56',
        timeMs: at('2025-11-17T20:22:33.840Z'),
        message: '✅ Completed in 2.00ms',
      },
      {
        line: 3,
        lineCount: 1,
        location: 'EventBus.ts:329',
        message: '🎼 EventBus: Using internal conductor (legacy mode)',
      },
      {
        line: 4,
        lineCount: 3,
        location: 'installHook.js:1',
        message: '❌ Failed: Error: boom',
        continuation: ['at run (PluginManager.ts:247:58)', 'Object'],
      },
    ]);
  });
});
