import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFile } from './file-hash.js';
import { importFile } from './import-file.js';
import { detectFormat, FALLBACK_IMPORTER, IMPORTERS, importerById, rankFormats } from './registry.js';

const CORPUS = path.resolve(__dirname, '../../test/fixtures/corpus/logs');
const FIXTURES = path.resolve(__dirname, '../../test/fixtures');
const at = (iso: string) => Date.parse(iso);

/** Expected values, read off the corpus files by hand (times are the ISO strings printed in them). */
const CORPUS_FILES = [
  {
    file: 'chrome-per-source-location.devtools-transcript.log',
    format: 'chrome-console',
    lines: 34,
    records: 32,
    unknown: 0,
    timed: 0,
    continuation: 2,
    first: { line: 1, message: '🎥 MovementExecutor: Executing beat 2 (2/3)' },
    last: {
      line: 34,
      message: '🎽 DataBaton: No changes | seq=Library Load beat=? event=library:components:notify-ui handler=notifyUi',
    },
    locations: [
      'BeatExecutor.ts:135',
      'DataBaton.ts:114',
      'DataBaton.ts:88',
      'EventLogger.ts:139',
      'EventLogger.ts:140',
      'EventLogger.ts:144',
      'EventLogger.ts:148',
      'EventLogger.ts:152',
      'EventLogger.ts:182',
      'EventLogger.ts:222',
      'EventLogger.ts:233',
      'ExecutionQueue.ts:140',
      'MovementExecutor.ts:122',
      'MovementExecutor.ts:81',
      'PerformanceTracker.ts:189',
      'PerformanceTracker.ts:51',
      'PerformanceTracker.ts:95',
      'SequenceExecutor.ts:145',
    ],
  },
  {
    file: 'chrome-per-source-location.resize-move.log',
    format: 'chrome-console',
    lines: 23,
    records: 23,
    unknown: 0,
    timed: 0,
    continuation: 0,
    first: {
      line: 1,
      message:
        '🎼 PluginInterfaceFacade.play(): CanvasComponentResizeMovePlugin -> canvas-component-resize-move-symphony',
    },
    last: { line: 23, message: '✅ SequenceExecutor: Sequence "Canvas Component Resize Move" completed in 9ms' },
    locations: [
      'EventLogger.ts:139',
      'EventLogger.ts:201',
      'EventLogger.ts:202',
      'EventLogger.ts:206',
      'EventLogger.ts:210',
      'ExecutionQueue.ts:123',
      'ExecutionQueue.ts:40',
      'ExecutionQueue.ts:57',
      'MovementExecutor.ts:54',
      'MovementExecutor.ts:81',
      'PerformanceTracker.ts:134',
      'PerformanceTracker.ts:189',
      'PerformanceTracker.ts:51',
      'PerformanceTracker.ts:95',
      'PluginInterfaceFacade.ts:67',
      'SequenceExecutor.ts:115',
      'SequenceExecutor.ts:145',
      'SequenceOrchestrator.ts:464',
      'StatisticsManager.ts:44',
    ],
  },
  {
    file: 'chrome-saved-empty-location-iso.excerpt-2.log',
    format: 'chrome-console',
    lines: 8,
    records: 8,
    unknown: 0,
    timed: 8,
    continuation: 0,
    first: {
      line: 1,
      message: '⏱️ PerformanceTracker: Cleaned up failed movement Get Current Theme for Header UI Theme Get',
      timeMs: at('2025-11-13T13:36:47.497Z'),
    },
    last: {
      line: 8,
      message: '⏱️ PerformanceTracker: Cleaned up failed movement Create for Canvas Component Create',
      timeMs: at('2025-11-13T13:36:57.241Z'),
    },
    locations: ['installHook.js:1'],
  },
  {
    file: 'chrome-saved-empty-location.sample-telemetry.log',
    format: 'chrome-console',
    lines: 156,
    records: 147,
    unknown: 0,
    timed: 0,
    continuation: 8,
    first: { line: 2, message: '✅ Completed in 4.70ms' },
    last: { line: 156, message: '✅ SequenceExecutor: Sequence "Control Panel UI Init" completed in 50ms' },
    locations: [],
  },
  {
    file: 'chrome-saved-installhook.excerpt-1.log',
    format: 'chrome-console',
    lines: 8,
    records: 8,
    unknown: 0,
    timed: 8,
    continuation: 0,
    first: {
      line: 1,
      message: '⏱️ PerformanceTracker: Cleaned up failed movement Get Current Theme for Header UI Theme Get',
      timeMs: at('2025-11-13T13:19:34.329Z'),
    },
    last: {
      line: 8,
      message: '⏱️ PerformanceTracker: Cleaned up failed movement Create for Canvas Component Create',
      timeMs: at('2025-11-13T13:19:41.766Z'),
    },
    locations: ['installHook.js:1'],
  },
  {
    file: 'cypress-capture.component-resize.excerpt.log',
    format: 'cypress-capture',
    lines: 19,
    records: 18,
    unknown: 0,
    timed: 18,
    continuation: 1,
    first: {
      line: 1,
      message: '⏱️ PerformanceTracker: Beat 2 completed in 8.90ms',
      timeMs: at('2025-11-17T16:40:45.055Z'),
    },
    last: {
      line: 19,
      message: '🕐 [EVENTBUS] About to await Promise.allSettled for "control:panel:ui:render" with 1 task(s)',
      timeMs: at('2025-11-17T16:40:45.063Z'),
    },
    locations: [],
  },
  {
    file: 'dotnet-mel-console.app-output.log',
    format: 'dotnet-mel-console',
    lines: 162,
    records: 79,
    unknown: 4,
    timed: 0,
    continuation: 0,
    first: { line: 5, message: '?? Initializing browser API stubs for Host SDK' },
    last: { line: 161, message: 'MainWindow initialization complete' },
    locations: [],
  },
  {
    file: 'dotnet-mel-console.app-output.utf16le.log',
    format: 'dotnet-mel-console',
    lines: 162,
    records: 79,
    unknown: 4,
    timed: 0,
    continuation: 0,
    first: { line: 5, message: '?? Initializing browser API stubs for Host SDK' },
    last: { line: 161, message: 'MainWindow initialization complete' },
    locations: [],
  },
  {
    file: 'first-and-last-lines-of-97-production-logs.tsv',
    format: 'log-file-index',
    lines: 98,
    records: 133,
    unknown: 0,
    timed: 66,
    continuation: 0,
    first: { line: 2, message: '================================================================================' },
    last: {
      line: 98,
      message: '🎼 EventBus: Using internal conductor (legacy mode)',
      timeMs: at('2025-11-10T21:56:16.932Z'),
    },
    locations: [
      'EventBus.ts:329',
      'EventBus.ts:56',
      'EventLogger.ts:200',
      'EventRouter.ts:58',
      'IsolationHarnessPlayground.tsx:52',
      'cli-bridge.ts:16',
      'cli-bridge.ts:28',
      'conductor.ts:26',
      'runtime-loaders.ts:321',
    ],
  },
  {
    file: 'mixed-envelopes.doc-excerpts.log',
    format: 'chrome-console',
    lines: 19,
    records: 14,
    unknown: 5,
    timed: 12,
    continuation: 0,
    first: {
      line: 2,
      message: '📡 EventBus: Subscribed to "musical-conductor:beat:started"',
      timeMs: at('2025-11-17T20:22:33.840Z'),
    },
    last: {
      line: 19,
      message: '✅ SequenceExecutor: Sequence "Header UI Theme Toggle" completed in 10ms',
      timeMs: at('2025-11-10T21:56:42.901Z'),
    },
    locations: ['EventBus.ts:56', 'cli-bridge.ts:16', 'cli-bridge.ts:28'],
  },
  {
    file: 'playwright-capture.reformatted.log',
    format: 'playwright-capture',
    lines: 6,
    records: 6,
    unknown: 0,
    timed: 6,
    continuation: 1,
    first: {
      line: 1,
      message: 'ℹ️ [E2E-TEST] 🚀 E2E Test Application loaded and ready',
      timeMs: at('2025-08-07T19:24:31.503Z'),
    },
    last: {
      line: 6,
      message: "Initialization error: TypeError: Failed to resolve module specifier 'musical-conductor'",
      timeMs: at('2025-08-07T19:24:32.234Z'),
    },
    locations: [
      'http://127.0.0.1:3000/app.js:35',
      'http://127.0.0.1:3000/app.js:95',
      'http://127.0.0.1:3000/favicon.ico:0',
    ],
  },
];

describe('every corpus log', () => {
  it.each(CORPUS_FILES)('$file is read as $format', async (expected) => {
    const r = await importFile(path.join(CORPUS, expected.file));
    expect(r.importer.id).toBe(expected.format);
    expect(r.read.lines).toBe(expected.lines);
    expect(r.records).toHaveLength(expected.records);
    expect(r.unknown).toHaveLength(expected.unknown);
    expect(r.records.filter((x) => x.timeMs !== undefined)).toHaveLength(expected.timed);
    expect(r.records.reduce((n, x) => n + (x.continuation?.length ?? 0), 0)).toBe(expected.continuation);
    const pick = (x: (typeof r.records)[number]) =>
      x.timeMs === undefined
        ? { line: x.line, message: x.message }
        : { line: x.line, message: x.message, timeMs: x.timeMs };
    expect(pick(r.records[0]!)).toEqual(expected.first);
    expect(pick(r.records.at(-1)!)).toEqual(expected.last);
    expect([...new Set(r.records.map((x) => x.location).filter((l) => l !== undefined))].sort()).toEqual(
      expected.locations,
    );
    expect(r.diagnostics).toEqual([]);
  });

  it('reads the UTF-16LE .NET capture exactly like its UTF-8 twin', async () => {
    const utf16 = await importFile(path.join(CORPUS, 'dotnet-mel-console.app-output.utf16le.log'));
    const utf8 = await importFile(path.join(CORPUS, 'dotnet-mel-console.app-output.log'));
    expect(utf16.encoding).toBe('utf-16le');
    expect(utf8.encoding).toBe('utf-8');
    expect(utf16.records).toEqual(utf8.records);
    expect(utf16.unknown).toEqual(utf8.unknown);
    expect(await hashFile(path.join(CORPUS, 'dotnet-mel-console.app-output.utf16le.log'))).not.toBe(
      await hashFile(path.join(CORPUS, 'dotnet-mel-console.app-output.log')),
    );
  });
});

describe('detectFormat', () => {
  it.each([
    ['chrome-console/e1-location-iso.log', 'chrome-console'],
    ['chrome-console/e6-iso-only.log', 'chrome-console'],
    ['cypress-capture/component-resize.log', 'cypress-capture'],
    ['playwright-capture/console.jsonl', 'playwright-capture'],
    ['playwright-capture/console-array.json', 'playwright-capture'],
    ['playwright-capture/reformatted.log', 'playwright-capture'],
    ['dotnet-mel-console/exception-and-single-line.log', 'dotnet-mel-console'],
    ['serilog/console.log', 'serilog'],
    ['serilog/file.log', 'serilog'],
    ['jsonl-events/session.jsonl', 'jsonl-events'],
    ['node-console/musical-conductor-1.4.5.play-with-throwing-handler.log', 'node-console'],
    ['log-file-index/index.tsv', 'log-file-index'],
  ])('reads %s as %s', async (file, format) => {
    expect((await importFile(path.join(FIXTURES, file))).importer.id).toBe(format);
  });

  it('falls back to plain text when nothing scores, so no line is lost', () => {
    const sample = ['Build started 11/5/2025 5:43:13 PM.', 'hello world', '==='];
    expect(detectFormat(sample)).toBe(FALLBACK_IMPORTER);
    expect(detectFormat([])).toBe(FALLBACK_IMPORTER);
  });

  it('ranks by score and breaks ties by priority', () => {
    const ranked = rankFormats(['2025-08-07T19:24:31.701Z [error] Failed to load resource  (http://x/favicon.ico:0)']);
    expect(ranked.slice(0, 2).map((r) => [r.importer.id, r.score])).toEqual([
      ['playwright-capture', 0.95],
      ['chrome-console', 0.9],
    ]);
    expect(IMPORTERS.map((i) => i.id)).toEqual([
      'jsonl-events',
      'log-file-index',
      'playwright-capture',
      'dotnet-mel-console',
      'serilog',
      'cypress-capture',
      'chrome-console',
      'node-console',
      'plain-text',
    ]);
    expect(importerById('serilog')?.id).toBe('serilog');
    expect(importerById('nope')).toBeUndefined();
  });
});
