/**
 * End to end through the built binary: simulate the demo app (a seed picked once, not tuned), ingest, replay,
 * generate Vitest files, and run them with a plain `vitest run` in copies of the app: they pass on the code the
 * logs came from and fail on each mutant (a removed DataBaton write, a throw, beats reordered, a renamed key).
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMutant, DEMO_MUTANTS, type DemoMutant } from '../../src/replay/demo-mutants.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import { simulate } from '../../src/simulate/simulate.js';
import { beatscope, ROOT } from '../cli/run-beatscope.js';

const SEED = 31_337;
const SEARCH = 'library-search-symphony';
const ARRANGE = 'canvas-component-arrange-symphony';
/** Each mutant: a copy of the demo app with one file edited (the four the bench also counts first). */
const MUTANTS: Record<string, DemoMutant> = Object.fromEntries(
  DEMO_MUTANTS.filter((m) => ['no-baton-write', 'throws', 'beats-reordered', 'key-renamed'].includes(m.name)).map(
    (m) => [m.name, m],
  ),
);

interface VitestJson {
  testResults: Array<{ name: string; assertionResults: Array<{ title: string; status: string }> }>;
}

describe('replay and tests generate, through the binary', () => {
  let work: string;
  let db: string;
  let searchRuns: string[];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beatscope-generated-'));
    await simulate({ outDir: join(work, 'logs'), sessions: 1, seed: SEED });
    db = join(work, 'store.duckdb');
    expect(beatscope('ingest', join(work, 'logs'), '--db', db).code).toBe(0);
    const rows = beatscope(
      'sql',
      `select request_id from sequence_runs where sequence_id = '${SEARCH}' order by start_ms`,
      '--db',
      db,
      '--csv',
    );
    searchRuns = rows.out.trim().split('\n').slice(1);
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  async function appCopy(name: string, mutate?: DemoMutant): Promise<string> {
    const dir = join(work, 'apps', name);
    await cp(demoAppDir(), dir, { recursive: true });
    if (mutate) await applyMutant(dir, mutate); // throws when the edit no longer changes the file
    return dir;
  }

  it('replays a captured run: exit 0 and beatscope/replay JSON when it matches, 1 on a mutant, 2 on an ambiguous id', async () => {
    const id = searchRuns.at(-1)!;
    const json = beatscope('replay', id, '--code', demoAppDir(), '--db', db, '--format', 'json');
    expect(json.err).toBe('');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect([report.schema, report.version, report.match, report.diffs]).toEqual(['beatscope/replay', 1, true, []]);

    const mutant = await appCopy('replay-throws', MUTANTS['throws']);
    const text = beatscope('replay', id, '--code', mutant, '--db', db);
    expect(text.code).toBe(1);
    expect(text.out).toContain('beat 2 library:search:filter filterComponents: error');

    const ambiguous = beatscope('replay', SEARCH, '--code', demoAppDir(), '--db', db);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err.split('\n')[0]).toBe(
      `beatscope: ${searchRuns.length} captured runs match "${SEARCH}"; pass one run id or request id`,
    );
  }, 120_000);

  it('writes deterministic files that pass on the unchanged app and fail on every mutant', async () => {
    const generate = (out: string, ...extra: string[]) =>
      beatscope(
        'tests',
        'generate',
        '--code',
        demoAppDir(),
        '--out',
        out,
        '--db',
        db,
        '--sequence',
        SEARCH,
        ARRANGE,
        ...extra,
      );
    const first = generate(join(work, 'gen-1'));
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(generate(join(work, 'gen-2')).code).toBe(0);
    const files = (await readdir(join(work, 'gen-1'))).sort();
    expect(files).toEqual([`${ARRANGE}.test.ts`, `${SEARCH}.test.ts`]);
    for (const f of files) {
      expect(await readFile(join(work, 'gen-2', f), 'utf8')).toBe(await readFile(join(work, 'gen-1', f), 'utf8'));
    }
    const search = await readFile(join(work, 'gen-1', `${SEARCH}.test.ts`), 'utf8');
    expect(search).toContain(`it('path 1: ${searchRuns.length} production runs, no error: library:search:normalize`);

    await mkdir(join(work, 'apps', 'node_modules'), { recursive: true });
    await symlink(ROOT, join(work, 'apps', 'node_modules', 'beatscope'));
    await symlink(join(ROOT, 'node_modules', 'vitest'), join(work, 'apps', 'node_modules', 'vitest'));
    const names = ['unchanged', ...Object.keys(MUTANTS)];
    for (const name of names) {
      const app = await appCopy(name, MUTANTS[name]);
      // Generated against the unchanged app, then placed in this copy (what a user's CI runs after a change):
      // the files find their app relative to themselves.
      await mkdir(join(app, 'production-tests'));
      for (const f of name === 'unchanged' ? files : [`${SEARCH}.test.ts`]) {
        const text = await readFile(join(work, 'gen-1', f), 'utf8');
        await writeFile(join(app, 'production-tests', f), text.replace(/new URL\('[^']*'/, "new URL('../'"));
      }
    }
    const started = performance.now();
    const report = join(work, 'vitest.json');
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        'production-tests',
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { cwd: join(work, 'apps'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    const results = JSON.parse(await readFile(report, 'utf8')) as VitestJson;
    const statusOf = (app: string, sequence: string) =>
      results.testResults
        .filter((r) => r.name.includes(`/apps/${app}/production-tests/${sequence}.test.ts`))
        .flatMap((r) => r.assertionResults.map((a) => a.status));
    expect(statusOf('unchanged', SEARCH)).toEqual(['passed']);
    expect(statusOf('unchanged', ARRANGE)).toEqual(['passed']);
    const killed = Object.keys(MUTANTS).filter((m) => statusOf(m, SEARCH).includes('failed'));
    expect(killed).toEqual(Object.keys(MUTANTS));
    expect(run.status).toBe(1);
    expect(performance.now() - started).toBeLessThan(240_000);
  }, 300_000);

  it('never overwrites a file it did not write, unless --force', async () => {
    const out = join(work, 'gen-user');
    await mkdir(out, { recursive: true });
    const mine = join(out, `${ARRANGE}.test.ts`);
    await writeFile(mine, "// the user's own test\n");
    const refused = beatscope(
      'tests',
      'generate',
      '--code',
      demoAppDir(),
      '--out',
      out,
      '--db',
      db,
      '--sequence',
      ARRANGE,
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(mine);
    expect(await readFile(mine, 'utf8')).toBe("// the user's own test\n");
    const forced = beatscope(
      'tests',
      'generate',
      '--code',
      demoAppDir(),
      '--out',
      out,
      '--db',
      db,
      '--sequence',
      ARRANGE,
      '--force',
    );
    expect(forced.code).toBe(0);
    expect((await readFile(mine, 'utf8')).split('\n', 1)[0]).toBe(
      '// @generated by `beatscope tests generate`: rerun it instead of editing this file.',
    );
  }, 120_000);
});
