/**
 * The trace builder on small slices of real captured consoles: each row is a line range of a fixture, and
 * the runs, movements, beats and handler runs it must rebuild, with values read off those lines.
 */
import { describe, expect, it } from 'vitest';
import { chromeConsoleImporter } from '../../src/importers/chrome-console.js';
import { cypressCaptureImporter } from '../../src/importers/cypress-capture.js';
import type { Importer } from '../../src/importers/importer.js';
import { nodeConsoleImporter } from '../../src/importers/node-console.js';
import type { TraceEntity } from '../../src/model/index.js';
import { fixtureLines, ofKind, rebuild } from './trace-builder-harness.js';

const SAMPLE = 'corpus/logs/chrome-saved-empty-location.sample-telemetry.log';
const TRANSCRIPT = 'corpus/logs/chrome-per-source-location.devtools-transcript.log';
const RESIZE = 'corpus/logs/chrome-per-source-location.resize-move.log';
const CYPRESS = 'corpus/logs/cypress-capture.component-resize.excerpt.log';
const NODE = 'node-console/musical-conductor-1.4.5.play-with-throwing-handler.log';

/** `name status durationMs(source) movements/beats`, plus ids when the log gave them. */
function runsOf(entities: readonly TraceEntity[]) {
  return ofKind(entities, 'sequence-run').map((r) => ({
    name: r.sequenceName,
    id: r.sequenceId,
    plugin: r.pluginId,
    request: r.requestId,
    status: r.status,
    duration: r.durationMs === null ? null : `${r.durationMs}ms ${r.durationSource}`,
    shape: `${r.movementCount}m/${r.beatCount}b`,
  }));
}

/** `movement > beat n (position) event "title" status duration [handlers]`. */
function beatsOf(entities: readonly TraceEntity[]): string[] {
  const movements = new Map(ofKind(entities, 'movement-run').map((m) => [m.id, m.name]));
  return ofKind(entities, 'beat-run').map((b) => {
    const movement = b.movementRunId === null ? '-' : (movements.get(b.movementRunId) ?? '?');
    const duration = b.durationMs === null ? 'no duration' : `${b.durationMs}ms ${b.durationSource}`;
    return `${movement} > beat ${b.beat} (${b.position ?? '-'}) ${b.event} "${b.title ?? ''}" ${b.status} ${duration} [${b.handlers.join(',')}]`;
  });
}

function movementsOf(entities: readonly TraceEntity[]): string[] {
  return ofKind(entities, 'movement-run').map(
    (m) =>
      `${m.name} ${m.index}/${m.total ?? '-'} declared ${m.declaredBeats ?? '-'} ${m.status} ${m.durationMs === null ? 'no duration' : `${m.durationMs}ms ${m.durationSource}`}`,
  );
}

/** `handler → beat n of <run>, settled after its beat?, status`. */
function handlersOf(entities: readonly TraceEntity[]): string[] {
  const beats = new Map(ofKind(entities, 'beat-run').map((b) => [b.id, b.beat]));
  return ofKind(entities, 'handler-run').map((h) => {
    const beat = h.beatRunId === null ? 'no beat' : `beat ${beats.get(h.beatRunId)}`;
    return `${h.handler} → ${beat}${h.settledAfterBeat ? ' (settled after it)' : ''} ${h.status}`;
  });
}

interface Case {
  readonly name: string;
  readonly importer: Importer;
  readonly file: string;
  readonly from: number;
  readonly to: number;
  readonly runs: ReturnType<typeof runsOf>;
  readonly movements: string[];
  readonly beats: string[];
  readonly handlers: string[];
}

const CASES: readonly Case[] = [
  {
    name: 'one played sequence: play → queue → movement → 2 beats, PerformanceTracker durations win',
    importer: chromeConsoleImporter,
    file: SAMPLE,
    from: 13,
    to: 59,
    runs: [
      {
        name: 'Library Load',
        id: 'library-load-symphony',
        plugin: 'LibraryPlugin',
        request: 'library-load-symphony-1761945322362-xmn12t3tr',
        status: 'completed',
        duration: '10ms beat-executor',
        shape: '1m/2b',
      },
    ],
    movements: ['Load 1/1 declared 2 completed 9.7ms performance-tracker'],
    beats: [
      'Load > beat 1 (1) library:components:load "Load Components" completed 4.2ms performance-tracker []',
      'Load > beat 2 (2) library:components:notify-ui "Notify UI" completed 5.2ms performance-tracker []',
    ],
    handlers: [],
  },
  {
    name: 'six beats; "Movement 2" group children are placeholders, not a second movement',
    importer: chromeConsoleImporter,
    file: SAMPLE,
    from: 61,
    to: 156,
    runs: [
      {
        name: 'Control Panel UI Init',
        // learned from `queued successfully`, printed after beat 1 had started
        id: 'control-panel-ui-init-symphony',
        plugin: 'ControlPanelPlugin',
        request: 'control-panel-ui-init-symphony-1761945322375-2h54kylvp',
        status: 'completed',
        duration: '50ms beat-executor',
        shape: '1m/6b',
      },
    ],
    movements: ['Init 1/1 declared 6 completed 50ms performance-tracker'],
    beats: [
      'Init > beat 1 (1) control:panel:ui:init:config "Init Config" completed 7.6ms performance-tracker [initConfig]',
      'Init > beat 2 (2) control:panel:ui:init:resolver "Init Resolver" completed 8.5ms performance-tracker [initResolver]',
      'Init > beat 3 (3) control:panel:ui:init:schemas "Load Schemas" completed 7.9ms performance-tracker []',
      'Init > beat 4 (4) control:panel:ui:init:observers "Register Observers" completed 8.7ms performance-tracker []',
      'Init > beat 5 (5) control:panel:ui:init:notify "Notify Ready" completed 7.9ms performance-tracker []',
      'Init > beat 6 (6) control:panel:ui:init:movement "Init Movement" completed 8ms performance-tracker []',
    ],
    // Out of order: initConfig's second line comes during beat 2, initResolver's two lines during and
    // after beat 3; each is attributed to the beat of its event.
    handlers: [
      'initConfig → beat 1 ok',
      'initConfig → beat 1 (settled after it) ok',
      'initResolver → beat 2 (settled after it) ok',
      'initResolver → beat 2 (settled after it) ok',
    ],
  },
  {
    name: 'a capture that starts inside a run and ends before it: the sequence stays unnamed and incomplete',
    importer: chromeConsoleImporter,
    file: SAMPLE,
    from: 1,
    to: 8,
    runs: [{ name: '', id: null, plugin: null, request: null, status: 'incomplete', duration: null, shape: '1m/1b' }],
    // The movement's timing line is in the capture, its start is not: kept with an unknown start.
    movements: ['Load 1/- declared - completed 12.8ms performance-tracker'],
    beats: ['- > beat 2 (-) library:components:notify-ui "" completed 5ms beat-executor []'],
    handlers: [],
  },
  {
    name: 'a capture that starts inside a run: its completed line names it',
    importer: chromeConsoleImporter,
    file: SAMPLE,
    from: 1,
    to: 9,
    runs: [
      {
        name: 'Library Load',
        id: null,
        plugin: null,
        request: null,
        status: 'completed',
        duration: '13ms beat-executor',
        shape: '1m/1b',
      },
    ],
    // The movement's timing line is in the capture, its start is not: kept with an unknown start.
    movements: ['Load 1/- declared - completed 12.8ms performance-tracker'],
    beats: ['- > beat 2 (-) library:components:notify-ui "" completed 5ms beat-executor []'],
    handlers: [],
  },
  {
    name: 'older conductor without BeatExecutor lines: PerformanceTracker timings close the beats',
    importer: chromeConsoleImporter,
    file: RESIZE,
    from: 1,
    to: 23,
    runs: [
      {
        name: 'Canvas Component Resize Move',
        id: 'canvas-component-resize-move-symphony',
        plugin: 'CanvasComponentResizeMovePlugin',
        request: 'canvas-component-resize-move-symphony-1759318585119-iu0kbu4as',
        status: 'completed',
        duration: '9ms beat-executor',
        shape: '1m/2b',
      },
    ],
    movements: ['Resize Move 1/1 declared 2 completed 8.5ms performance-tracker'],
    beats: [
      'Resize Move > beat 1 (1) canvas:component:resize:move "Resize Move" completed 5.3ms performance-tracker []',
      'Resize Move > beat 2 (2) canvas:component:update "Update Component" completed 3.2ms performance-tracker []',
    ],
    handlers: [],
  },
  {
    name: 'a throwing handler: the error names its beat, which the conductor still completed',
    importer: nodeConsoleImporter,
    file: NODE,
    from: 1,
    to: 114,
    runs: [
      {
        name: 'Demo Load',
        id: 'demo-load-symphony',
        plugin: 'DemoPlugin',
        request: 'demo-load-symphony-1795305580988-obyyx484f',
        status: 'completed',
        duration: '42ms beat-executor',
        shape: '1m/2b',
      },
    ],
    movements: ['Load 1/1 declared 2 completed 40.87ms performance-tracker'],
    beats: [
      'Load > beat 1 (1) demo:load "Load Items" completed 26.91ms performance-tracker [loadItems]',
      'Load > beat 2 (2) demo:fail "Fail" completed 12.07ms performance-tracker [explode]',
    ],
    handlers: ['loadItems → beat 1 ok', 'explode → beat 2 error'],
  },
  {
    name: 'a Cypress excerpt that ends mid-beat: the open beat and its run stay incomplete',
    importer: cypressCaptureImporter,
    file: CYPRESS,
    from: 1,
    to: 19,
    runs: [
      {
        name: 'Control Panel UI Render',
        id: null,
        plugin: null,
        request: null,
        status: 'incomplete',
        duration: null,
        shape: '0m/2b',
      },
    ],
    movements: [],
    beats: [
      '- > beat 2 (-) control:panel:ui:sections:generate "" completed 8.9ms performance-tracker []',
      '- > beat 3 (3) control:panel:ui:render "Render View" incomplete no duration []',
    ],
    handlers: [],
  },
];

describe('TraceBuilder on real line sequences', () => {
  it.each(CASES)('$name', (c) => {
    const entities = rebuild(c.importer, fixtureLines(c.file, c.from, c.to));
    expect(runsOf(entities)).toEqual(c.runs);
    expect(movementsOf(entities)).toEqual(c.movements);
    expect(beatsOf(entities)).toEqual(c.beats);
    expect(handlersOf(entities)).toEqual(c.handlers);
  });

  it('keeps the handler error with its stack, beat and run', () => {
    const entities = rebuild(nodeConsoleImporter, fixtureLines(NODE, 1, 114));
    const [run] = ofKind(entities, 'sequence-run');
    const failing = ofKind(entities, 'beat-run').find((b) => b.event === 'demo:fail');
    expect(ofKind(entities, 'handler-error')).toEqual([
      expect.objectContaining({
        pluginId: 'DemoPlugin',
        handler: 'explode',
        message: 'Error: boom in handler',
        stack: [
          { fn: 'explode', file: 'file:///tmp/mcx/gen.mjs', line: 12, column: 26 },
          expect.objectContaining({ fn: 'run', line: 247, column: 58 }),
        ],
        beatRunId: failing?.id,
        sequenceRunId: run?.id,
        beatStillCompleted: true,
        line: 98,
      }),
    ]);
    expect(failing?.error).toBe('explode: Error: boom in handler');
    expect(ofKind(entities, 'plugin-mount').map((m) => `${m.pluginId} ${m.status} ${m.error ?? ''}`)).toEqual([
      'BrokenPlugin failed Error: Movement 0 in sequence "Broken" (id: broken-symphony) must have an id',
      'DemoPlugin succeeded ',
    ]);
  });

  it('times beats from Cypress envelope timestamps when the log gives them', () => {
    const entities = rebuild(cypressCaptureImporter, fixtureLines(CYPRESS, 1, 19));
    const [beat2, beat3] = ofKind(entities, 'beat-run');
    // Beat 2 ended at 16:40:45.055Z after PerformanceTracker's 8.90 ms; beat 3 started at .055Z.
    expect(beat2?.endMs).toBe(Date.parse('2025-11-17T16:40:45.055Z'));
    expect(beat2?.startMs).toBe(Date.parse('2025-11-17T16:40:45.055Z') - 9);
    expect(beat3?.startMs).toBe(Date.parse('2025-11-17T16:40:45.055Z'));
    expect(ofKind(entities, 'publish')).toEqual([
      expect.objectContaining({
        event: 'control:panel:ui:render',
        source: 'eventbus',
        timeMs: Date.parse('2025-11-17T16:40:45.056Z'),
      }),
    ]);
  });

  it('keeps handler lines of a run the capture never shows apart, attached to no beat', () => {
    // The transcript ends with two Library Load handler lines; that run started before the capture.
    const entities = rebuild(chromeConsoleImporter, fixtureLines(TRANSCRIPT, 1, 34));
    expect(handlersOf(entities)).toEqual([
      'loadComponents → no beat ok',
      'notifyUi → no beat ok',
      'generateSections → beat 2 ok',
      'renderView → beat 3 ok',
    ]);
    expect(ofKind(entities, 'handler-run').filter((h) => h.sequenceRunId === null)).toHaveLength(2);
  });

  // Bug: a beat created before its run learned its name (a capture starting mid-run, where the name comes
  // from a later `Started timing beat n for <name>` or `Sequence "<name>" completed` line) keeps
  // sequenceName null, while the run and its later beats carry the name. beat_runs.sequence_name is then
  // null for beats whose run is named.
  it('names every beat of a run after the run, even beats seen before the name', () => {
    const entities = rebuild(chromeConsoleImporter, fixtureLines(TRANSCRIPT, 1, 34));
    const [run] = ofKind(entities, 'sequence-run');
    expect(run?.sequenceName).toBe('Control Panel UI Render');
    expect(ofKind(entities, 'beat-run').map((b) => b.sequenceName)).toEqual([
      'Control Panel UI Render',
      'Control Panel UI Render',
    ]);
  });
});
