import { describe, expect, it } from 'vitest';
import { classifyMessage } from './classify.js';
import { hostRules } from './host-rules.js';
import { type MatchRow, type MissRow, matchFamily, sourceText } from './rule-table-fixtures.js';

/** Real lines of the captured consoles (envelope removed) → the event the rule yields. */
const ROWS: readonly MatchRow[] = [
  {
    // musical-conductor 1.4.5 in Node: the error, then its V8 stack as indented continuation lines.
    source: 'node-1.4.5',
    message: '🧠 PluginManager: Handler execution failed for DemoPlugin.explode: Error: boom in handler',
    continuation: [
      '        at explode (file:///tmp/mcx/gen.mjs:12:26)',
      '        at run (file:///work/main/node_modules/musical-conductor/dist/modules/communication/sequences/plugins/PluginManager.js:247:58)',
    ],
    expected: {
      kind: 'handler-error',
      pluginId: 'DemoPlugin',
      handler: 'explode',
      message: 'Error: boom in handler',
      stack: [
        { fn: 'explode', file: 'file:///tmp/mcx/gen.mjs', line: 12, column: 26 },
        {
          fn: 'run',
          file: 'file:///work/main/node_modules/musical-conductor/dist/modules/communication/sequences/plugins/PluginManager.js',
          line: 247,
          column: 58,
        },
      ],
    },
  },
  {
    source: 'node-1.4.5',
    message: '🎼 Initializing RenderX Evolution Communication System...',
    expected: { kind: 'session-start', marker: 'conductor initializing' },
  },
  {
    source: 'production-index',
    message: '🎼 Initializing new conductor instance...',
    expected: { kind: 'session-start', marker: 'conductor initializing' },
  },
  {
    source: 'node-1.4.5',
    message: '🎼 SPA Validator: Runtime checks initialized',
    expected: { kind: 'noise', component: 'startup' },
  },
  {
    source: 'dotnet',
    message: '?? MusicalConductor vunknown: Initialized with core components',
    expected: { kind: 'noise', component: 'startup' },
  },
  {
    source: 'node-1.4.5',
    message: '🎼 Sequence registration complete: 0 registered, 0 failed',
    expected: { kind: 'noise', component: 'startup' },
  },
  {
    source: 'dotnet',
    message: '? MusicalConductor bundle loaded successfully',
    expected: { kind: 'noise', component: 'startup' },
  },
  {
    source: 'production-index',
    message:
      "📨 Received CLI command: {type: 'play', pluginId: 'LibraryComponentPlugin', sequenceId: 'library-component-drop-symphony', context: {…}, id: 'cli-1763232715967'}",
    expected: { kind: 'noise', component: 'host' },
  },
  {
    source: 'production-index',
    message: '🎵 Playing sequence: CanvasComponentResizeMovePlugin/canvas-component-resize-move-symphony',
    expected: { kind: 'noise', component: 'host' },
  },
  { source: 'production-index', message: 'Fetch status Object', expected: { kind: 'noise', component: 'host' } },
];

/** Shapes printed by the source that no captured log holds yet (docs/log-formats.md §3.6, §3.7, §3.8). */
const SOURCE_ONLY_ROWS: readonly Omit<MatchRow, 'source'>[] = [
  {
    message: "🚫 SPA Validator: Blocked direct eventBus.emit() call from plugin 'LibraryPlugin'",
    expected: {
      kind: 'warning',
      component: 'SPAValidator',
      text: "Blocked direct eventBus.emit() call from plugin 'LibraryPlugin'",
    },
  },
  {
    message: '🎭 Stage Crew: ControlPanelPlugin.initConfig (mc-1762811779997-avzo8c)',
    expected: { kind: 'noise', component: 'stage-crew' },
  },
  {
    message: '💓 Heartbeat #3 | Uptime: 30s | Idle: 5s',
    expected: { kind: 'noise', component: 'detector' },
  },
];

const MISSES: readonly MissRow[] = [
  { message: '?? Initializing browser API stubs for Jint engine', why: 'real .NET host line, not a conductor banner' },
  { message: '?? Loading Host SDK bundle', why: 'real .NET host line' },
  {
    message: '🧠 PluginManager: Handler execution failed for DemoPlugin: Error: boom',
    why: 'no <plugin>.<handler> pair to name the handler by',
  },
  { message: '🧪 TEST: Console capture is working', why: 'a Cypress test annotation (production index)' },
];

describe('handler error, startup and host rules', () => {
  it.each(ROWS)('$message', ({ source, message, continuation, expected }) => {
    expect(sourceText(source)).toContain(message);
    for (const line of continuation ?? []) expect(sourceText(source)).toContain(line);
    const event = matchFamily(hostRules, message, continuation);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message, continuation)).toEqual(event);
  });

  it.each(SOURCE_ONLY_ROWS)('source-only shape: $message', ({ message, expected }) => {
    const event = matchFamily(hostRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(MISSES)('leaves alone: $message ($why)', ({ message }) => {
    expect(matchFamily(hostRules, message)).toBeUndefined();
  });
});
