/**
 * Every real captured log of the corpus ingests into the DuckDB store with exact counts and no line lost.
 * The counts were checked against the files by hand (e.g. `grep -c 'DataBaton'`, the README's table).
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

const CORPUS = resolve(import.meta.dirname, '../fixtures/corpus/logs');

const PER_FILE = `
  SELECT regexp_extract(f.path, '[^/]+$') AS file, f.format, f.lines, f.lines_unknown AS unknown,
    (SELECT count(*) FROM sessions s WHERE s.file_id = f.file_id) AS sessions,
    (SELECT count(*) FROM sequence_runs s WHERE s.file_id = f.file_id) AS runs,
    (SELECT count(*) FROM beat_runs s WHERE s.file_id = f.file_id) AS beats,
    (SELECT count(*) FROM baton_diffs s WHERE s.file_id = f.file_id) AS batons,
    (SELECT coalesce(sum(baton_unchanged), 0) FROM beat_runs s WHERE s.file_id = f.file_id) AS folded,
    (SELECT count(*) FROM subscriptions s WHERE s.file_id = f.file_id) AS subscriptions,
    (SELECT count(*) FROM plugin_mounts s WHERE s.file_id = f.file_id) AS mounts,
    (SELECT coalesce(string_agg(DISTINCT handler, ',' ORDER BY handler), '') FROM handler_runs s WHERE s.file_id = f.file_id) AS handlers
  FROM files f ORDER BY 1`;

describe('ingesting the real corpus', () => {
  let store: DuckDbStore;
  beforeAll(async () => {
    store = await DuckDbStore.open(':memory:');
    const report = await ingest([CORPUS], { store, workers: 0 });
    expect(report.outcomes.map((o) => o.status)).toEqual(Array(11).fill('ingested'));
  });
  afterAll(() => store.close());

  it('detects every envelope and rebuilds the exact runs, beats, batons, subscriptions and handlers', async () => {
    const row = (
      file: string,
      format: string,
      lines: number,
      unknown: number,
      sessions: number,
      runs: number,
      beats: number,
      /** DataBaton lines kept as rows, and beat-level `No changes` lines folded into their beats. */
      [batons, folded]: [number, number],
      subscriptions: number,
      mounts: number,
      handlers: string,
    ) => ({ file, format, lines, unknown, sessions, runs, beats, batons, folded, subscriptions, mounts, handlers });
    expect(await store.query(PER_FILE)).toEqual([
      row(
        'chrome-per-source-location.devtools-transcript.log',
        'chrome-console',
        34,
        0,
        1,
        1,
        2,
        [4, 2],
        0,
        0,
        'generateSections,loadComponents,notifyUi,renderView',
      ),
      row('chrome-per-source-location.resize-move.log', 'chrome-console', 23, 0, 1, 1, 2, [0, 0], 0, 0, ''),
      row('chrome-saved-empty-location-iso.excerpt-2.log', 'chrome-console', 8, 0, 1, 0, 0, [0, 0], 0, 0, ''),
      row(
        'chrome-saved-empty-location.sample-telemetry.log',
        'chrome-console',
        156,
        1,
        1,
        3,
        9,
        [4, 8],
        3,
        0,
        'initConfig,initResolver',
      ),
      row('chrome-saved-installhook.excerpt-1.log', 'chrome-console', 8, 0, 1, 0, 0, [0, 0], 0, 0, ''),
      row('cypress-capture.component-resize.excerpt.log', 'cypress-capture', 19, 0, 1, 1, 2, [0, 0], 0, 0, ''),
      row('dotnet-mel-console.app-output.log', 'dotnet-mel-console', 162, 72, 1, 0, 0, [0, 0], 18, 0, ''),
      row('dotnet-mel-console.app-output.utf16le.log', 'dotnet-mel-console', 162, 72, 1, 0, 0, [0, 0], 18, 0, ''),
      // One session per row of the index (94 rows have a first or last line): runs never span two logs.
      row('first-and-last-lines-of-97-production-logs.tsv', 'log-file-index', 98, 40, 94, 11, 1, [0, 0], 2, 0, ''),
      row('mixed-envelopes.doc-excerpts.log', 'chrome-console', 19, 6, 1, 3, 0, [1, 0], 2, 0, 'publishCreateRequested'),
      row('playwright-capture.reformatted.log', 'playwright-capture', 6, 4, 1, 0, 0, [0, 0], 0, 0, ''),
    ]);
  });

  it('loses no line: recognized + unknown = read, and every unknown line is kept with its place', async () => {
    const [totals] = await store.query(
      `SELECT sum(lines) AS lines, sum(lines_recognized) AS recognized, sum(lines_unknown) AS unknown FROM files`,
    );
    expect(totals).toEqual({ lines: 695, recognized: 500, unknown: 195 });
    // One row per unknown entry: 2 × 38 .NET entries (34 of two lines, 4 MSBuild lines), 40 index cells,
    // 6 doc excerpt lines (5 `# source:` notes, 1 line cut with `...`), 4 Playwright lines, 1 app line.
    const [kept] = await store.query(`SELECT count(*) AS n, count(DISTINCT template) AS templates FROM unknown_lines`);
    expect(kept).toEqual({ n: 127, templates: 57 });
  });

  it('summarises the store', async () => {
    expect(await store.summary()).toEqual({
      files: 11,
      lines: 695,
      linesRecognized: 500,
      linesUnknown: 195,
      sessions: 104,
      pluginMountAttempts: 0,
      pluginMountsSucceeded: 0,
      pluginMountsFailed: 0,
      sequencesRegistered: 7,
      subscriptions: 43,
      sequenceRuns: 20,
      sequenceRunsCompleted: 18,
      sequenceRunsFailed: 0,
      movementRunsCompleted: 5,
      beatRuns: 16,
      beatRunsCompleted: 15,
      beatRunsFailed: 0,
      // The corpus's nine handler settle lines (`🎽 DataBaton: … handler=<name>`), one run each.
      handlerRuns: 9,
      handlerErrors: 0,
      batonDiffs: 19,
      handlersSeen: [
        'generateSections',
        'initConfig',
        'initResolver',
        'loadComponents',
        'notifyUi',
        'publishCreateRequested',
        'renderView',
      ],
      sequencesSeen: [
        'Canvas Component Create',
        'Canvas Component Resize Move',
        'Control Panel UI Init',
        'Control Panel UI Render',
        'Header UI Theme Toggle',
        'Library Component Drop',
        'Library Load',
      ],
      gaps: 18,
      timeSpanMs: 66_450,
      diagnostics: 0,
    });
  });

  it('rebuilds the sample session beat by beat, with PerformanceTracker precision', async () => {
    const beats = await store.query(`
      SELECT b.sequence_name, b.beat, b.event, b.title, b.duration_ms, b.duration_source, b.status
      FROM beat_runs_v b JOIN files f USING (file_id)
      WHERE f.path LIKE '%sample-telemetry.log' ORDER BY b.start_line`);
    expect(
      beats.map(
        (b) =>
          `${b['sequence_name']} › ${b['beat']} ${b['event']} ${b['duration_ms']}ms ${b['duration_source']} ${b['status']}`,
      ),
    ).toEqual([
      'Library Load › 2 library:components:notify-ui 5ms beat-executor completed',
      'Library Load › 1 library:components:load 4.2ms performance-tracker completed',
      'Library Load › 2 library:components:notify-ui 5.2ms performance-tracker completed',
      'Control Panel UI Init › 1 control:panel:ui:init:config 7.6ms performance-tracker completed',
      'Control Panel UI Init › 2 control:panel:ui:init:resolver 8.5ms performance-tracker completed',
      'Control Panel UI Init › 3 control:panel:ui:init:schemas 7.9ms performance-tracker completed',
      'Control Panel UI Init › 4 control:panel:ui:init:observers 8.7ms performance-tracker completed',
      'Control Panel UI Init › 5 control:panel:ui:init:notify 7.9ms performance-tracker completed',
      'Control Panel UI Init › 6 control:panel:ui:init:movement 8ms performance-tracker completed',
    ]);
    const runs = await store.query(`
      SELECT sequence_name, sequence_id, plugin_id, request_id, correlation_id, priority, duration_ms, status
      FROM sequence_runs r JOIN files f USING (file_id) WHERE f.path LIKE '%sample-telemetry.log' ORDER BY r.start_line`);
    expect(runs).toEqual([
      {
        sequence_name: 'Library Load',
        sequence_id: null,
        plugin_id: null,
        request_id: null,
        correlation_id: null,
        priority: null,
        duration_ms: 13,
        status: 'completed',
      },
      {
        sequence_name: 'Library Load',
        sequence_id: 'library-load-symphony',
        plugin_id: 'LibraryPlugin',
        request_id: 'library-load-symphony-1761945322362-xmn12t3tr',
        correlation_id: 'mc-1761945322362-0vnjii',
        priority: 'NORMAL',
        duration_ms: 10,
        status: 'completed',
      },
      {
        sequence_name: 'Control Panel UI Init',
        sequence_id: 'control-panel-ui-init-symphony',
        plugin_id: 'ControlPanelPlugin',
        request_id: 'control-panel-ui-init-symphony-1761945322375-2h54kylvp',
        correlation_id: null,
        priority: 'NORMAL',
        duration_ms: 50,
        status: 'completed',
      },
    ]);
  });

  it('matches handler-level DataBaton lines that arrive after the sequence completed to their beat', async () => {
    const late = await store.query(`
      SELECT h.handler, h.event, h.settled_after_beat, b.event AS beat_event, r.sequence_name
      FROM handler_runs h JOIN beat_runs b ON b.id = h.beat_run_id JOIN sequence_runs r ON r.id = h.sequence_run_id
      JOIN files f ON f.file_id = h.file_id WHERE f.path LIKE '%devtools-transcript.log' ORDER BY h.line`);
    expect(late).toEqual([
      {
        handler: 'generateSections',
        event: 'control:panel:ui:sections:generate',
        settled_after_beat: false,
        beat_event: 'control:panel:ui:sections:generate',
        sequence_name: 'Control Panel UI Render',
      },
      {
        handler: 'renderView',
        event: 'control:panel:ui:render',
        settled_after_beat: false,
        beat_event: 'control:panel:ui:render',
        sequence_name: 'Control Panel UI Render',
      },
    ]);
    // The Library Load lines at the end belong to a run that is not in this excerpt: kept, unlinked.
    const orphans = await store.query(`
      SELECT handler FROM handler_runs h JOIN files f USING (file_id)
      WHERE f.path LIKE '%devtools-transcript.log' AND h.beat_run_id IS NULL ORDER BY h.line`);
    expect(orphans).toEqual([{ handler: 'loadComponents' }, { handler: 'notifyUi' }]);
  });

  it('reads the UTF-16LE .NET capture exactly like its UTF-8 twin', async () => {
    const subs = await store.query(`
      SELECT regexp_extract(f.path, '[^/]+$') AS file, list(s.event ORDER BY s.line) AS events
      FROM subscriptions s JOIN files f USING (file_id) WHERE f.format = 'dotnet-mel-console' GROUP BY 1 ORDER BY 1`);
    expect(subs).toHaveLength(2);
    expect(subs[0]!['events']).toEqual(subs[1]!['events']);
    expect((subs[0]!['events'] as string[]).slice(0, 3)).toEqual([
      'musical-conductor:beat:started',
      'musical-conductor:beat:completed',
      'musical-conductor:beat:error',
    ]);
  });

  it('never duplicates on a re-ingest of the same files', async () => {
    const again = await ingest([CORPUS, join(CORPUS, 'playwright-capture.reformatted.log')], { store, workers: 0 });
    expect(again.outcomes.map((o) => o.status)).toEqual(Array(11).fill('unchanged'));
    expect((await store.summary()).sequenceRuns).toBe(20);
  });
});
