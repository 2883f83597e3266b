/**
 * Replay and tests generate on a browser app (test/fixtures/dom-app): its console was captured on the real
 * musical-conductor with the page in place (capture.ts). The notes plugin's handlers use the DOM and
 * localStorage and replay under happy-dom; the chart's drawBars needs a canvas 2D context happy-dom lacks, so it
 * is stubbed, named with the reason, and its DataBaton change is reported as not replayed. Generated tests run
 * green with a plain `vitest run`.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import type { SequenceRun } from '../../src/model/index.js';
import { replay } from '../../src/replay/replay.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';
import { beatscope, ROOT } from '../cli/run-beatscope.js';

const APP = join(ROOT, 'test/fixtures/dom-app');
const LOG = join(APP, 'logs/localhost-1795000000000.log');
const NOTES = 'notes-add-symphony';
const CHART = 'chart-draw-symphony';
const CANVAS_REASON =
  "HTMLCanvasElement.getContext('2d') returned null under happy-dom 21.0.4 (no canvas rendering), then: " +
  "Cannot read properties of null (reading 'clearRect')";

interface VitestJson {
  testResults: Array<{ name: string; assertionResults: Array<{ title: string; status: string }> }>;
}

describe('replay of a browser app under happy-dom', () => {
  const store = new InMemoryStore();
  let runs: readonly SequenceRun[];
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beatscope-dom-app-'));
    await ingest([LOG], { store, workers: 1 });
    runs = await store.entities('sequence-run');
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('matches the DOM and localStorage handlers, with the input the preview carries served', async () => {
    const notes = runs.filter((r) => r.sequenceId === NOTES);
    expect(notes.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    const report = await replay({ store, id: notes[1]!.requestId!, codeDir: APP });
    expect(report.diffs).toEqual([]);
    expect([report.match, report.stubbed, report.problems]).toEqual([true, [], []]);
    expect(report.inputs.reconstructed['text']?.value).toBe('call Ada');
    expect(report.inputs.reconstructed['text']?.readBy).toEqual(['NotesPlugin.renderNote']);
  }, 60_000);

  it('stubs the canvas handler, names it and why, and marks its missing DataBaton change as stubbed', async () => {
    const chart = runs.filter((r) => r.sequenceId === CHART);
    expect(chart).toHaveLength(2);
    const report = await replay({ store, id: chart[0]!.id, codeDir: APP });
    expect(report.stubbed).toEqual([{ plugin: 'ChartPlugin', handler: 'drawBars', reason: CANVAS_REASON }]);
    expect(report.diffs).toEqual([
      {
        kind: 'baton',
        beat: 2,
        event: 'chart:draw:render',
        handler: 'drawBars',
        captured: { added: ['barsDrawn'], updated: [], removed: [] },
        replayed: { added: [], updated: [], removed: [] },
        stubbed: true,
      },
    ]);
    expect(report.match).toBe(true);
    expect(report.problems).toEqual([]);
  }, 90_000);

  it('generates tests that pass with a plain vitest run, the canvas handler stubbed in them too', async () => {
    const db = join(work, 'store.duckdb');
    expect(beatscope('ingest', LOG, '--db', db).code).toBe(0);
    const json = beatscope(
      'replay',
      runs.find((r) => r.sequenceId === CHART)!.id,
      '--code',
      APP,
      '--db',
      db,
      '--format',
      'json',
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).stubbed).toEqual([
      { plugin: 'ChartPlugin', handler: 'drawBars', reason: CANVAS_REASON },
    ]);

    const app = join(work, 'app');
    await cp(APP, app, { recursive: true });
    const out = join(app, 'production-tests');
    const generated = beatscope('tests', 'generate', '--code', app, '--out', out, '--db', db);
    expect(generated.err).toBe('');
    expect(generated.code).toBe(0);
    const chartFile = await readFile(join(out, `${CHART}.test.ts`), 'utf8');
    expect(chartFile).toContain(`// ChartPlugin.drawBars runs as a no-op (stubbed): ${CANVAS_REASON}.`);
    expect(chartFile).toContain("expect(run.stubbed).toEqual(['ChartPlugin.drawBars']);");
    const notesFile = await readFile(join(out, `${NOTES}.test.ts`), 'utf8');
    expect(notesFile).toContain('expect(run.stubbed).toEqual([]);');

    await mkdir(join(work, 'node_modules'), { recursive: true });
    await symlink(ROOT, join(work, 'node_modules', 'beatscope'));
    await symlink(join(ROOT, 'node_modules', 'vitest'), join(work, 'node_modules', 'vitest'));
    const report = join(work, 'vitest.json');
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        'app/production-tests',
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    const results = JSON.parse(await readFile(report, 'utf8')) as VitestJson;
    const statuses = results.testResults.flatMap((r) =>
      r.assertionResults.map((a) => `${r.name.slice(r.name.lastIndexOf('/') + 1)}: ${a.status}`),
    );
    expect(statuses.sort()).toEqual([`${CHART}.test.ts: passed`, `${NOTES}.test.ts: passed`]);
    expect(run.status).toBe(0);
  }, 420_000); // about 50 s idle; over 160 s at load 15 on 2 cores
});
