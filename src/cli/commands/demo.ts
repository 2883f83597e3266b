import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ingest } from '../../ingest/ingest.js';
import { type BundleFiles, writeReportBundle } from '../../reports/report-bundle.js';
import { analyzeStore } from '../../reports/run-reports.js';
import { demoAppDir } from '../../simulate/demo-app-dir.js';
import { simulate } from '../../simulate/simulate.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import { color } from '../format.js';
import { indexInto } from '../index-into.js';
import { prepareOutput } from '../output-path.js';
import { renderSummary } from './summary.js';

/**
 * The bundled demo, start to end: play sessions of the demo app on the real musical-conductor, ingest
 * the consoles they printed, print what the store holds. Everything lives under `--out` and is
 * recreated on each run.
 */
export async function runDemo(opts: { out: string; sessions: number }): Promise<void> {
  // Checked first: `rm` below must never follow a symlink or delete a file given by mistake.
  const work = await prepareOutput(opts.out, 'dir');
  const logs = join(work, 'logs');
  const db = join(work, 'telemetry.duckdb');
  await rm(work, { recursive: true, force: true });
  const say = (s: string) => process.stderr.write(`${color.cyan('›')} ${s}\n`);
  say(`simulating ${opts.sessions} app sessions of the demo app on the real musical-conductor …`);
  const truth = await simulate({ appDir: demoAppDir(), outDir: logs, sessions: opts.sessions, seed: 42 });
  say(`ingesting ${truth.sessions.length} console logs from ${relative(process.cwd(), logs)} …`);
  const store = await DuckDbStore.open(db);
  let bundle: BundleFiles | undefined;
  let slowest: string | undefined;
  try {
    const report = await ingest([logs], { store });
    const failed = report.outcomes.filter((o) => o.status === 'failed');
    if (failed.length > 0) throw new Error(`ingest failed for ${failed.map((f) => f.path).join(', ')}`);
    say(`indexing the demo app's code (${relative(process.cwd(), demoAppDir())}) …`);
    await indexInto(store, demoAppDir());
    process.stdout.write(renderSummary(await store.summary(), relative(process.cwd(), db)));
    say('analysing and writing the report …');
    bundle = await writeReportBundle(join(work, 'report'), await analyzeStore(store), 'the bundled demo app');
    const [run] = await store.query(
      'SELECT request_id FROM sequence_runs WHERE request_id IS NOT NULL ORDER BY duration_ms DESC NULLS LAST LIMIT 1',
    );
    slowest = run === undefined ? undefined : String(run['request_id']);
  } finally {
    await store.close();
  }
  const rel = relative(process.cwd(), db);
  process.stdout.write(
    [
      `\nReport: ${color.underline(`file://${bundle?.index}`)}`,
      '\nNext, on the same store:',
      `  npx beatscope report heatmap --db ${rel}             # slowest handlers, handler vs beat vs overhead`,
      `  npx beatscope report flows --db ${rel}               # runs against their definitions, drift`,
      `  npx beatscope code relaxLayout --db ${rel}           # where it is defined and tested, how it ran`,
      `  npx beatscope sql --db ${rel} "select event, count(*) n, round(quantile_cont(duration_ms, 0.95), 1) p95 from beat_runs group by 1 order by 3 desc limit 5"`,
      ...(slowest === undefined
        ? []
        : [`  npx beatscope lines ${slowest} --db ${rel}   # the slowest run's log lines`]),
      '',
    ].join('\n'),
  );
}
