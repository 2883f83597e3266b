/**
 * The built `beatscope` binary, run as a user would, with output compared after normalising what
 * changes from run to run (durations, temp paths). `npm test` builds dist/ first.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { beatscope, ROOT } from './run-beatscope.js';

const CORPUS = resolve(ROOT, 'test/fixtures/corpus/logs');

const normalise = (text: string, dir: string) =>
  text
    .replaceAll(dir, '<tmp>')
    .replaceAll(CORPUS, '<corpus>')
    .replace(/in \d+(\.\d+)? s\b/g, 'in <t> s');

describe('beatscope CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-cli-'));
  const db = join(dir, 'store.duckdb');

  it('ingests, then finds nothing new on a second run', () => {
    const first = beatscope(
      'ingest',
      join(CORPUS, 'chrome-saved-empty-location.sample-telemetry.log'),
      join(CORPUS, 'cypress-capture.component-resize.excerpt.log'),
      '--db',
      db,
    );
    expect(first.code).toBe(0);
    expect(normalise(first.out, dir)).toMatchInlineSnapshot(`
      "ingested  <corpus>/chrome-saved-empty-location.sample-telemetry.log  (chrome-console, 156 lines, 1 unknown)
      ingested  <corpus>/cypress-capture.component-resize.excerpt.log  (cypress-capture, 19 lines, 0 unknown)

      2 ingested, 0 unchanged, 0 duplicate, 0 failed — 175 lines, 11.2 KiB in <t> s
      "
    `);
    const again = beatscope('ingest', CORPUS, '--db', db, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ schema: 'beatscope/ingest', version: 1 });
    const statuses = JSON.parse(again.out).outcomes.map(
      (o: { path: string; status: string }) => `${o.path.split('/').pop()} ${o.status}`,
    );
    expect(statuses).toContain('chrome-saved-empty-location.sample-telemetry.log unchanged');
    expect(statuses).toContain('dotnet-mel-console.app-output.utf16le.log ingested');
  });

  it('parses files in parallel threads and fails a bad one alone', () => {
    const batch = join(dir, 'batch');
    mkdirSync(batch);
    for (const f of ['chrome-per-source-location.resize-move.log', 'cypress-capture.component-resize.excerpt.log']) {
      copyFileSync(join(CORPUS, f), join(batch, f));
    }
    writeFileSync(join(batch, 'garbage.log'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 7]));
    const r = beatscope('ingest', batch, '--db', join(dir, 'batch.duckdb'), '--workers', '2', '--json');
    expect(r.code).toBe(1);
    const statuses = JSON.parse(r.out).outcomes.map(
      (o: { path: string; status: string }) => `${o.path.split('/').pop()} ${o.status}`,
    );
    expect(statuses).toEqual([
      'chrome-per-source-location.resize-move.log ingested',
      'cypress-capture.component-resize.excerpt.log ingested',
      'garbage.log failed',
    ]);
  });

  it('prints the summary as one JSON object with the documented keys', () => {
    const r = beatscope('summary', '--db', db, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(Object.keys(s)).toEqual([
      'schema',
      'version',
      'files',
      'lines',
      'linesRecognized',
      'linesUnknown',
      'sessions',
      'pluginMountAttempts',
      'pluginMountsSucceeded',
      'pluginMountsFailed',
      'sequencesRegistered',
      'subscriptions',
      'sequenceRuns',
      'sequenceRunsCompleted',
      'sequenceRunsFailed',
      'movementRunsCompleted',
      'beatRuns',
      'beatRunsCompleted',
      'beatRunsFailed',
      'handlerRuns',
      'handlerErrors',
      'batonDiffs',
      'handlersSeen',
      'sequencesSeen',
      'gaps',
      'timeSpanMs',
      'diagnostics',
    ]);
    expect([s.files, s.sequenceRuns, s.beatRuns, s.batonDiffs]).toEqual([11, 20, 16, 19]);
  });

  it('answers SQL as CSV and explains a bad query', () => {
    const csv = beatscope(
      'sql',
      "select event, round(duration_ms, 2) as ms from beat_runs where event like 'control:panel:ui:init:%' order by start_line",
      '--db',
      db,
      '--csv',
    );
    expect(csv.code).toBe(0);
    expect(csv.out).toMatchInlineSnapshot(`
      "event,ms
      control:panel:ui:init:config,7.6
      control:panel:ui:init:resolver,8.5
      control:panel:ui:init:schemas,7.9
      control:panel:ui:init:observers,8.7
      control:panel:ui:init:notify,7.9
      control:panel:ui:init:movement,8
      "
    `);
    const bad = beatscope('sql', 'select nope from nowhere', '--db', db);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^beatscope: .*nowhere.*\nhint: see docs\/schema.md/);
  });

  it('says what is wrong in one line plus a hint, exit code 2', () => {
    const noStore = beatscope('summary', '--db', join(dir, 'missing.duckdb'));
    expect([noStore.code, normalise(noStore.err, dir)]).toEqual([
      2,
      'beatscope: no telemetry store at <tmp>/missing.duckdb\nhint: run `beatscope ingest <logs>` first, or pass --db PATH\n',
    ]);
    const unknownReport = beatscope('report', 'speed', '--db', db);
    expect([unknownReport.code, unknownReport.err]).toEqual([
      2,
      'beatscope: unknown report "speed"\nhint: choose one of: findings, heatmap, flows, coverage, timeline, graph, state, trends, sequences\n',
    ]);
    const nothing = beatscope('ingest', join(dir, 'nope/*.log'), '--db', db);
    expect(nothing.code).toBe(2);
    const badFormat = beatscope('ingest', CORPUS, '--format', 'syslog', '--db', db);
    expect([badFormat.code, badFormat.err.split('\n')[0]]).toEqual([2, 'beatscope: unknown format "syslog"']);
    const badLink = beatscope('report', 'heatmap', '--format', 'html', '--source-url', 'javascript:alert(1)//{file}');
    expect([badLink.code, badLink.err.split('\n')[0]]).toEqual([
      2,
      'beatscope: --source-url: the source URL template must start with one of http: https: vscode: idea: file: and be a valid URL',
    ]);
  });

  it('says which process holds the store, and what to do', async () => {
    const held = await DuckDbStore.open(db);
    try {
      const r = beatscope('summary', '--db', db);
      expect([r.code, normalise(r.err, dir)]).toEqual([
        2,
        `beatscope: store <tmp>/store.duckdb is in use by another beatscope process (pid ${process.pid})\nhint: DuckDB lets one process write a store: wait for it to finish, or pass --db PATH\n`,
      ]);
    } finally {
      await held.close();
    }
  });

  it('indexes code, resolves a shared handler name per plugin, and gates CI on flow findings', () => {
    const idx = beatscope('index', join(ROOT, 'examples/demo-app'), '--db', db, '--json');
    expect(idx.code).toBe(0);
    expect(JSON.parse(idx.out)).toMatchObject({
      schema: 'beatscope/index',
      version: 1,
      sequences: 17,
      beats: 46,
      handlers: 46,
      handlersResolved: 46,
      problems: [],
    });
    const ambiguous = beatscope('code', 'notifyUi', '--db', db);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.out).toMatch(/^ambiguous: handler 'notifyUi' is defined for 4 plugins/);
    const found = JSON.parse(beatscope('code', 'notifyUi', '--plugin', 'LibraryPlugin', '--db', db, '--json').out);
    expect([found.schema, found.handler, found.plugin, found.file, found.line]).toEqual([
      'beatscope/code',
      'notifyUi',
      'LibraryPlugin',
      'plugins/library/src/symphonies/load.symphony.ts',
      22,
    ]);
    // The corpus runs are RenderX sequences the demo app does not define: the validator says so.
    const timeline = beatscope('report', 'timeline', '--db', db, '--limit', '2');
    expect(timeline.code).toBe(0);
    expect(timeline.out).toMatch(
      /Session \d+ · .* · 3 runs\n {2}start +sequence +status +duration +beats +errors +slowest beat\n/,
    );
    const gate = beatscope('report', 'flows', '--db', db, '--format', 'json', '--fail-on', 'never-run');
    expect(gate.code).toBe(1);
    expect(JSON.parse(gate.out).schema).toBe('beatscope/flows');
    // Findings: the never-run sequences are notes, so `--fail-on note` gates and `--fail-on mount-failure` does not.
    const findings = beatscope('report', 'findings', '--db', db, '--format', 'json', '--fail-on', 'note');
    expect(findings.code).toBe(1);
    const report = JSON.parse(findings.out);
    expect(report.schema).toBe('beatscope/findings');
    expect(report.findings.some((f: { kind: string }) => f.kind === 'never-run')).toBe(true);
    expect(beatscope('report', 'findings', '--db', db, '--fail-on', 'mount-failure').code).toBe(0);
    const sarif = JSON.parse(beatscope('report', 'findings', '--db', db, '--format', 'sarif').out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    const unknown = beatscope('report', 'findings', '--db', db, '--fail-on', 'slow');
    expect([unknown.code, unknown.err.split('\n')[0]]).toEqual([2, 'beatscope: unknown finding kind(s): slow']);
  });

  it('names a handler whose module is not in the index, with its sequences and how it ran', () => {
    // The corpus holds RenderX's sequence JSON but not its handler sources.
    const renderx = join(dir, 'renderx.duckdb');
    expect(beatscope('ingest', CORPUS, '--db', renderx).code).toBe(0);
    expect(beatscope('index', resolve(ROOT, 'test/fixtures/renderx'), '--db', renderx).code).toBe(0);
    const r = beatscope('code', 'initConfig', '--db', renderx, '--json');
    expect(r.code).toBe(1);
    const found = JSON.parse(r.out);
    expect([found.kind, found.named.handler, found.named.plugin, found.production.count]).toEqual([
      'unresolved',
      'initConfig',
      'ControlPanelPlugin',
      2,
    ]);
    expect(found.named.sequences.map((s: { id: string }) => s.id)).toEqual([
      'control-panel-ui-init-batched-symphony',
      'control-panel-ui-init-symphony',
    ]);
    const text = beatscope('code', 'initConfig', '--db', renderx).out;
    expect(text).toMatch(/^initConfig {2}\(ControlPanelPlugin\)\n {2}defined {5}unresolved: handlersPath /);
    expect(text).toContain('  production  2 executions\n');
  });

  it('analyzes logs and code into a site, JSON reports and summary.md, and exports a Chrome trace', () => {
    const out = join(dir, 'report');
    const r = beatscope(
      'analyze',
      join(CORPUS, 'chrome-saved-empty-location.sample-telemetry.log'),
      '--code',
      join(ROOT, 'examples/demo-app'),
      '--out',
      out,
      '--db',
      join(dir, 'analyze.duckdb'),
      '--source-url',
      'https://github.com/o/r/blob/v1/{file}#L{line}',
    );
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'heatmap.html'), 'utf8')).toMatch(
      /<a class="src-link" href="https:\/\/github\.com\/o\/r\/blob\/v1\/[^"#]+\.ts#L\d+">/,
    );
    expect(normalise(r.out, dir)).toMatch(
      /^beatscope report written to <tmp>\/report\/\n {2}3 sequence runs, 9 beat runs, 0 handler errors\n/,
    );
    expect(r.out).toContain(`Open file://${out}/index.html`);
    const files = [
      'index.html',
      'heatmap.html',
      'flows.html',
      'coverage.html',
      'timeline.html',
      'heatmap.json',
      'flows.json',
      'coverage.json',
      'summary.md',
    ];
    for (const f of files) expect(existsSync(join(out, f)), f).toBe(true);
    const heatmap = JSON.parse(readFileSync(join(out, 'heatmap.json'), 'utf8'));
    expect([heatmap.schema, heatmap.version, heatmap.summary.totalExecutions]).toEqual(['beatscope/heatmap', 2, 4]);
    // This capture has no timestamps: no handler is timed, and the pages say so instead of a blank.
    expect(readFileSync(join(out, 'heatmap.html'), 'utf8')).toContain(
      '4 handler runs of 2 handlers; none was timed (these logs have no handler settle lines): the table ranks them by beat time.',
    );
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('id="handlers-timed"><div class="num">0 of 2<');
    const trace = beatscope(
      'export',
      '--format',
      'chrome-trace',
      '--out',
      join(dir, 'trace.json'),
      '--db',
      join(dir, 'analyze.duckdb'),
    );
    expect(trace.code).toBe(0);
    const events = JSON.parse(readFileSync(join(dir, 'trace.json'), 'utf8')).traceEvents as {
      ph: string;
      name: string;
    }[];
    expect(events.filter((e) => e.ph === 'X' && e.name.startsWith('Control Panel UI Init')).length).toBeGreaterThan(0);
  });
});
