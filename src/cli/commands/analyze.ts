import { resolve } from 'node:path';
import { analyzeStore } from '../../analyses/analyze-store.js';
import { ingest } from '../../ingest/ingest.js';
import { writeReportBundle } from '../../reports/report-bundle.js';
import { UsageError } from '../errors.js';
import { color } from '../format.js';
import { indexInto } from '../index-into.js';
import { openStore } from '../open-store.js';
import { checkSourceUrl } from '../source-url-option.js';

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
  const store = await openStore(opts.db, 'write');
  try {
    say(`ingesting ${inputs.join(' ')} …`);
    const report = await ingest(inputs, { store });
    if (report.outcomes.length === 0) throw new UsageError(`no log file found in ${inputs.join(', ')}`);
    const failed = report.outcomes.filter((o) => o.status === 'failed');
    for (const f of failed) say(color.red(`failed ${f.path}: ${f.diagnostics[0]?.message ?? 'unknown error'}`));
    if (opts.code !== undefined) {
      say(`indexing ${opts.code} …`);
      await indexInto(store, opts.code);
    }
    say('analysing …');
    const analysis = await analyzeStore(store);
    const bundle = await writeReportBundle(resolve(opts.out), analysis, inputs.join(' '), {
      sourceUrl: opts.sourceUrl,
    });
    const f = analysis.flows;
    process.stdout.write(
      `${color.bold('beatscope report')} written to ${opts.out}/\n` +
        `  ${analysis.summary.sequenceRuns} sequence runs, ${analysis.summary.beatRuns} beat runs, ${analysis.summary.handlerErrors} handler errors\n` +
        `  slowest handler: ${analysis.heatmap.summary.slowestHandler ?? 'n/a'}\n` +
        `  flow: ${f.summary.conformingRuns}/${f.summary.sequenceRuns} runs conform, ${f.summary.violations} violations\n` +
        `\nOpen ${color.underline(`file://${bundle.index}`)}\n`,
    );
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await store.close();
  }
}
