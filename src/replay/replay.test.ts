// Replays runs of logs the simulator made on the real musical-conductor (seed picked at random once, not tuned)
// against the unchanged demo app and against mutated copies of it.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../ingest/ingest.js';
import type { SequenceRun } from '../model/index.js';
import { demoAppDir } from '../simulate/demo-app-dir.js';
import { simulate } from '../simulate/simulate.js';
import { InMemoryStore } from '../store/in-memory-store.js';
import { ReplayInputError } from './find-capture.js';
import { replay } from './replay.js';

const SEED = 58_213;
const SEARCH = 'library-search-symphony';
const SEARCH_JSON = 'plugins/library/json-sequences/library-search.json';
const SEARCH_TS = 'plugins/library/src/symphonies/search.symphony.ts';

describe('replay', () => {
  let work: string;
  const store = new InMemoryStore();
  let runs: readonly SequenceRun[];
  /** The last search run of the session: the query the user settled on. */
  let search: SequenceRun;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beatscope-replay-test-'));
    await simulate({ outDir: join(work, 'logs'), sessions: 1, seed: SEED });
    await ingest([join(work, 'logs')], { store, workers: 1 });
    runs = await store.entities('sequence-run');
    search = runs.filter((r) => r.sequenceId === SEARCH).at(-1)!;
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  /** A copy of the demo app with `edit` applied to one of its files. */
  async function mutant(name: string, file: string, edit: (text: string) => string): Promise<string> {
    const dir = join(work, name);
    await cp(demoAppDir(), dir, { recursive: true });
    const text = await readFile(join(dir, file), 'utf8');
    const changed = edit(text);
    expect(changed).not.toBe(text);
    await writeFile(join(dir, file), changed);
    return dir;
  }

  it('matches the capture on the unchanged app, and names the input the log cannot give', async () => {
    const report = await replay({ store, id: search.requestId!, codeDir: demoAppDir() });
    expect(report.runId).toBe(search.id);
    expect(report.sequence).toEqual({ id: SEARCH, name: 'Library Search', pluginId: 'LibraryPlugin' });
    expect(report.diffs).toEqual([]);
    expect(report.match).toBe(true);
    expect(report.inputs).toEqual({
      reconstructed: {},
      unknown: [{ key: 'query', readBy: ['LibraryPlugin.normalizeQuery'], reason: 'not-logged' }],
    });
    expect(report.timings.map((t) => t.event)).toEqual([
      null,
      'library:search:normalize',
      'library:search:filter',
      'library:search:publish',
    ]);
    expect(report.timings.every((t) => t.capturedMs !== null && t.replayedMs !== null)).toBe(true);
    expect(report.problems).toEqual([]);
  }, 60_000);

  it('shows a beat the running build lacked as drift: the replay runs the current sequence definition', async () => {
    // The simulated build predates beat 6 of the create sequence (demo-scenario STALE_BEATS).
    const create = runs.find((r) => r.sequenceId === 'canvas-component-create-symphony')!;
    const report = await replay({ store, id: create.id, codeDir: demoAppDir() });
    expect(report.match).toBe(false);
    expect(report.diffs.filter((d) => d.kind.startsWith('beat-'))).toEqual([
      {
        kind: 'beat-added',
        beat: 6,
        event: 'canvas:component:augment:line',
        handler: null,
        captured: null,
        replayed: ['enhanceLine'],
      },
    ]);
  }, 60_000);

  it('names the handler whose DataBaton write was removed', async () => {
    const dir = await mutant('no-write', SEARCH_TS, (t) => t.replace("  ctx.payload['published'] = true;\n", ''));
    const report = await replay({ store, id: search.id, codeDir: dir });
    expect(report.match).toBe(false);
    expect(report.diffs).toEqual([
      {
        kind: 'baton',
        beat: 3,
        event: 'library:search:publish',
        handler: 'publishResults',
        // resultCount is rewritten with the same number: no change, in both runs.
        captured: { added: ['published'], updated: [], removed: ['terms'] },
        replayed: { added: [], updated: [], removed: ['terms'] },
      },
    ]);
  }, 60_000);

  it('names the handler that now throws, with its error signature', async () => {
    const dir = await mutant('throws', SEARCH_TS, (t) =>
      t.replace(
        'export function filterComponents(_data: SearchData, ctx: HandlerContext) {\n',
        "$&  throw new Error('inventory offline (code 503)');\n",
      ),
    );
    const report = await replay({ store, id: search.id, codeDir: dir });
    expect(report.match).toBe(false);
    expect(report.diffs.find((d) => d.kind === 'error')).toEqual({
      kind: 'error',
      beat: 2,
      event: 'library:search:filter',
      handler: 'filterComponents',
      captured: null,
      replayed: 'LibraryPlugin.filterComponents: Error: inventory offline (code #)',
    });
  }, 60_000);

  it('runs a handler that touches the DOM under happy-dom, and matches', async () => {
    const dir = await mutant('uses-dom', SEARCH_TS, (t) =>
      t.replace(
        'export function filterComponents(_data: SearchData, ctx: HandlerContext) {\n',
        // tsx does not type-check: bare browser globals, as browser-only handler code has.
        "$&  const row = document.createElement('li'); row.classList.add('hit'); document.body.appendChild(row);\n" +
          "  localStorage.setItem('last-filter', String(document.querySelectorAll('li.hit').length));\n",
      ),
    );
    const report = await replay({ store, id: search.id, codeDir: dir });
    expect(report.diffs).toEqual([]);
    expect([report.match, report.stubbed, report.problems]).toEqual([true, [], []]);
  }, 60_000);

  it('stubs a handler that needs a real canvas, names it with the reason, and marks its diffs as stubbed', async () => {
    const dir = await mutant('needs-canvas', SEARCH_TS, (t) =>
      t.replace(
        'export function filterComponents(_data: SearchData, ctx: HandlerContext) {\n',
        "$&  document.createElement('canvas').getContext('2d').fillRect(0, 0, 1, 1);\n",
      ),
    );
    const report = await replay({ store, id: search.id, codeDir: dir });
    expect(report.stubbed).toEqual([
      {
        plugin: 'LibraryPlugin',
        handler: 'filterComponents',
        reason:
          "HTMLCanvasElement.getContext('2d') returned null under happy-dom 21.0.4 (no canvas rendering), then: " +
          "Cannot read properties of null (reading 'fillRect')",
      },
    ]);
    expect(report.problems).toEqual([]);
    const own = report.diffs.filter((d) => d.handler === 'filterComponents');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((d) => d.stubbed === true)).toBe(true);
    expect(report.match).toBe(report.diffs.every((d) => d.stubbed === true));
  }, 90_000);

  it('shows beats reordered in the sequence JSON', async () => {
    const dir = await mutant('reordered', SEARCH_JSON, (t) => {
      const sequence = JSON.parse(t) as { movements: Array<{ beats: Array<Record<string, unknown>> }> };
      const beats = sequence.movements[0]!.beats;
      // Beats 2 and 3 trade places (their numbers follow the new order).
      [beats[1], beats[2]] = [
        { ...beats[2]!, beat: 2 },
        { ...beats[1]!, beat: 3 },
      ];
      return JSON.stringify(sequence, null, 2);
    });
    const report = await replay({ store, id: search.id, codeDir: dir });
    expect(report.match).toBe(false);
    expect(report.diffs.find((d) => d.kind === 'beat-order')).toEqual({
      kind: 'beat-order',
      beat: null,
      event: null,
      handler: null,
      captured: ['library:search:normalize', 'library:search:filter', 'library:search:publish'],
      replayed: ['library:search:normalize', 'library:search:publish', 'library:search:filter'],
    });
  }, 60_000);

  it('mounts the rest when a handler module fails to load, and tells which', async () => {
    const dir = await mutant(
      'broken-module',
      'plugins/canvas-component/src/index.ts',
      (t) => `${t}\nexport const = ;\n`,
    );
    const report = await replay({ store, id: search.id, codeDir: dir });
    expect(report.match).toBe(true);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.problems.every((p) => p.includes('canvas-component') && p.includes('@demo/canvas-component'))).toBe(
      true,
    );
  }, 60_000);

  it('refuses an id that matches several runs or none, listing candidates', async () => {
    const several = runs.filter((r) => r.sequenceId === SEARCH);
    expect(several.length).toBeGreaterThan(1);
    const error = await replay({ store, id: SEARCH, codeDir: demoAppDir() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplayInputError);
    expect((error as ReplayInputError).message).toBe(
      `${several.length} captured runs match "${SEARCH}"; pass one run id or request id`,
    );
    expect((error as ReplayInputError).candidates.map((c) => c.split('  ')[0])).toEqual(several.map((r) => r.id));

    const none = await replay({ store, id: 'no-such-sequence', codeDir: demoAppDir() }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(ReplayInputError);
    expect((none as ReplayInputError).candidates).toContain(SEARCH);

    const noCatalog = await replay({ store, id: search.id, codeDir: work }).catch((e: unknown) => e);
    expect(noCatalog).toBeInstanceOf(ReplayInputError);
    expect((noCatalog as ReplayInputError).message).toBe(`no plugin catalog under ${work}`);
  });
});
