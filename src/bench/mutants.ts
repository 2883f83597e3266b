/**
 * `BEATSCOPE_BENCH=mutants`: the share of demo-app mutants (src/replay/demo-mutants.ts) each tool kills. The demo
 * app is simulated once (a fixed seed, not tuned), ingested, and the generated suite written for the mutated
 * sequences from the unchanged app; then each mutant is a copy of the app with one edit, where
 *   replay kills it when the last captured run of the mutated sequence no longer matches, and
 *   the generated suite kills it when its file for that sequence fails under a plain `vitest run`.
 * The unchanged app is the baseline: replay must match and the suite must pass on it, or the counts mean nothing.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../ingest/ingest.js';
import { applyMutant, DEMO_MUTANTS, type DemoMutant } from '../replay/demo-mutants.js';
import { generateTests } from '../replay/generate-tests.js';
import { renderTestFile } from '../replay/render-test-file.js';
import { replay } from '../replay/replay.js';
import { textTable } from '../reports/text-table.js';
import { demoAppDir } from '../simulate/demo-app-dir.js';
import { simulate } from '../simulate/simulate.js';
import { InMemoryStore } from '../store/in-memory-store.js';

/** Picked once for this bench, not tuned (the tests use other seeds). */
const SEED = 7_411;
/** The package root, from src/bench or dist/bench. */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

interface VitestJson {
  testResults: Array<{ name: string; assertionResults: Array<{ status: string }> }>;
}

export interface MutantOutcome {
  readonly mutant: DemoMutant | null;
  readonly replayKilled: boolean;
  readonly suiteKilled: boolean;
}

/** Runs every mutant through both tools in `dir`; the first outcome is the unchanged app (mutant null). */
export async function runMutants(dir: string, mutants: readonly DemoMutant[] = DEMO_MUTANTS): Promise<MutantOutcome[]> {
  await simulate({ outDir: join(dir, 'logs'), sessions: 1, seed: SEED });
  const store = new InMemoryStore();
  await ingest([join(dir, 'logs')], { store, workers: 1 });
  const runs = await store.entities('sequence-run');
  const sequences = [...new Set(mutants.map((m) => m.sequenceId))].sort();
  const generated = await generateTests({ store, appDir: demoAppDir(), sequences });

  const apps = join(dir, 'apps');
  await mkdir(join(apps, 'node_modules'), { recursive: true });
  await symlink(ROOT, join(apps, 'node_modules', 'beatscope'));
  await symlink(join(ROOT, 'node_modules', 'vitest'), join(apps, 'node_modules', 'vitest'));
  const cases: Array<DemoMutant | null> = [null, ...mutants];
  const replayKilled: boolean[] = [];
  for (const [i, mutant] of cases.entries()) {
    const app = join(apps, `m${i}`);
    await cp(demoAppDir(), app, { recursive: true });
    if (mutant) await applyMutant(app, mutant);
    await mkdir(join(app, 'production-tests'));
    for (const sequence of generated) {
      if (mutant && sequence.sequenceId !== mutant.sequenceId) continue;
      await writeFile(join(app, 'production-tests', `${sequence.sequenceId}.test.ts`), renderTestFile(sequence, '..'));
    }
    // The baseline replays the last run of every mutated sequence; a mutant, the last run of its own.
    let killed = false;
    for (const sequenceId of mutant ? [mutant.sequenceId] : sequences) {
      const run = runs.filter((r) => r.sequenceId === sequenceId).at(-1);
      if (!run) throw new Error(`the simulated session has no run of ${sequenceId}`);
      const report = await replay({ store, id: run.id, codeDir: app });
      killed ||= !report.match;
    }
    replayKilled.push(killed);
  }

  const report = join(dir, 'vitest.json');
  spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      'production-tests',
      '--root',
      apps,
      '--reporter=json',
      `--outputFile=${report}`,
    ],
    { cwd: apps, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  const results = JSON.parse(await readFile(report, 'utf8')) as VitestJson;
  return cases.map((mutant, i) => {
    const statuses = results.testResults
      .filter((r) => r.name.includes(`/apps/m${i}/production-tests/`))
      .flatMap((r) => r.assertionResults.map((a) => a.status));
    if (statuses.length === 0) throw new Error(`no generated test ran for ${mutant?.name ?? 'the unchanged app'}`);
    return { mutant, replayKilled: replayKilled[i]!, suiteKilled: statuses.some((s) => s !== 'passed') };
  });
}

/** The bench's printout: one row per mutant, then killed/total per tool (all mutants, and observable ones). */
export async function mutantKillTable(dir: string): Promise<string> {
  const started = performance.now();
  const outcomes = await runMutants(dir);
  const [baseline, ...rest] = outcomes;
  const mark = (killed: boolean) => (killed ? 'killed' : 'survived');
  const table = textTable(
    [
      { header: 'mutant' },
      { header: 'sequence' },
      { header: 'observable' },
      { header: 'replay' },
      { header: 'generated tests' },
    ],
    rest.map((o) => [
      o.mutant!.name,
      o.mutant!.sequenceId,
      o.mutant!.observable ? 'yes' : 'no (values only)',
      mark(o.replayKilled),
      mark(o.suiteKilled),
    ]),
  );
  const share = (pick: (o: MutantOutcome) => boolean, of: readonly MutantOutcome[]) => {
    const killed = of.filter(pick).length;
    return `${killed}/${of.length} (${of.length === 0 ? 0 : Math.round((100 * killed) / of.length)} %)`;
  };
  const observable = rest.filter((o) => o.mutant!.observable);
  return [
    `baseline (unchanged app): replay ${baseline!.replayKilled ? 'DIFFERS' : 'matches'}, generated tests ${baseline!.suiteKilled ? 'FAIL' : 'pass'}`,
    table,
    `killed by replay:          ${share((o) => o.replayKilled, rest)} of all, ${share((o) => o.replayKilled, observable)} of observable`,
    `killed by generated tests: ${share((o) => o.suiteKilled, rest)} of all, ${share((o) => o.suiteKilled, observable)} of observable`,
    `killed by either:          ${share((o) => o.replayKilled || o.suiteKilled, rest)} of all`,
    `wall time: ${((performance.now() - started) / 1000).toFixed(0)} s (simulate, ingest, generate, replay of each mutant and the baseline, one vitest run over all copies)`,
  ].join('\n');
}
