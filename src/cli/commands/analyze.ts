import { ingest } from '../../ingest/ingest.js';
import { writeReportBundle } from '../../reports/report-bundle.js';
import { analyzeStore } from '../../reports/run-reports.js';
import { UsageError } from '../errors.js';
import { color } from '../format.js';
import { indexInto } from '../index-into.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';
import { checkSourceUrl } from '../source-url-option.js';
import { suppressions } from './report.js';

export interface AnalyzeCommandOptions {
  readonly db: string;
  readonly code?: string;
  readonly out: string;
  readonly sourceUrl?: string;
}

/** `beatscope analyze <logs...>`: ingest + index + every report, as a static site, JSON and Markdown. */
export async function runAnalyze(inputs: string[], opts: AnalyzeCommandOptions): Promise<void> {
  checkSourceUrl(opts.sourceUrl);
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
    const analysis = await analyzeStore(store, { suppressions: await suppressions() });
    const bundle = await writeReportBundle(outDir, analysis, inputs.join(' '), { sourceUrl: opts.sourceUrl });
    process.stdout.write(
      `${color.bold('beatscope report')} written to ${opts.out}/\n` +
        `  ${analysis.summary.sequenceRuns} sequence runs, ${analysis.summary.beatRuns} beat runs, ${analysis.summary.handlerErrors} handler errors\n` +
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
