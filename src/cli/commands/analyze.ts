import { BASELINE_FIELDS, buildBaseline } from '../../analyses/regressions/build-baseline.js';
import { loadTraceData } from '../../analyses/trace-data.js';
import { ingest } from '../../ingest/ingest.js';
import { compareRun } from '../../reports/compare/compare-run.js';
import { writeReportBundle } from '../../reports/report-bundle.js';
import { count } from '../../reports/report-format.js';
import { analyzeStore } from '../../reports/run-reports.js';
import { UsageError } from '../errors.js';
import { favourSmallHeapFor } from '../favour-small-heap.js';
import { color } from '../format.js';
import { indexInto } from '../index-into.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';
import { checkSourceUrl } from '../source-url-option.js';
import { compareOrExplain, loadBaseline } from './compare.js';
import { suppressions } from './report.js';

export interface AnalyzeCommandOptions {
  readonly db: string;
  readonly code?: string;
  readonly out: string;
  readonly sourceUrl?: string;
  /** A baseline file or store (`beatscope baseline`): the site and summary.md get the comparison with it. */
  readonly baseline?: string;
}

/** `beatscope analyze <logs...>`: ingest + index + every report, as a static site, JSON and Markdown. */
export async function runAnalyze(inputs: string[], opts: AnalyzeCommandOptions): Promise<void> {
  checkSourceUrl(opts.sourceUrl);
  // Read before anything is written: a missing, corrupt or unknown-version baseline is exit 2 with no output.
  const baseline = opts.baseline === undefined ? undefined : await loadBaseline(opts.baseline);
  const say = (s: string) => process.stderr.write(`${color.cyan('›')} ${s}\n`);
  const outDir = await prepareOutput(opts.out, 'dir');
  const store = await openStore(opts.db, 'write');
  try {
    say(`ingesting ${inputs.join(' ')} …`);
    const report = await ingest(inputs, { store });
    if (report.outcomes.length === 0) throw new UsageError(`no log file found in ${inputs.join(', ')}`);
    const failed = report.outcomes.filter((o) => o.status === 'failed');
    for (const f of failed) say(color.red(`failed ${f.path}: ${f.diagnostics[0]?.message ?? 'unknown error'}`));
    for (const u of report.unreadable) say(color.red(`unreadable ${u.path}: ${u.reason}`));
    if (opts.code !== undefined) {
      say(`indexing ${opts.code} …`);
      await indexInto(store, opts.code);
    }
    say('analysing …');
    favourSmallHeapFor((await store.summary()).beatRuns);
    let analysis = await analyzeStore(store, { suppressions: await suppressions(), progress: say });
    if (baseline !== undefined && opts.baseline !== undefined) {
      say(`comparing with ${opts.baseline} …`);
      const candidate = buildBaseline(await loadTraceData(store, {}, BASELINE_FIELDS));
      const compared = compareRun(compareOrExplain(baseline, candidate), opts.baseline, analysis.input);
      analysis = { ...analysis, runs: [...analysis.runs, compared] };
    }
    const bundle = await writeReportBundle(outDir, analysis, inputs.join(' '), { sourceUrl: opts.sourceUrl });
    process.stdout.write(
      `${color.bold('beatscope report')} written to ${opts.out}/\n` +
        `  ${count(analysis.summary.sequenceRuns)} sequence runs, ${count(analysis.summary.beatRuns)} beat runs, ${count(analysis.summary.handlerErrors)} handler errors\n` +
        analysis.runs
          .map((r) => r.headline())
          .flatMap((line) => (line === undefined ? [] : [`  ${line}\n`]))
          .join('') +
        `\nOpen ${color.underline(`file://${bundle.index}`)}\n`,
    );
    if (failed.length > 0) process.exitCode = 1;
    if (report.unreadable.length > 0) process.exitCode = 2; // the report covers the inputs that could be read
  } finally {
    await store.close();
  }
}
