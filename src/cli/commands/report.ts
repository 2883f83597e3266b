import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineRefError, timelineTarget } from '../../ingest/source-lines.js';
import { DEFAULT_SUPPRESSIONS_PATH, loadSuppressions, SuppressionsError } from '../../reports/findings/suppressions.js';
import { findReport, reportNames } from '../../reports/registry.js';
import { writeReportBundle } from '../../reports/report-bundle.js';
import type { ReportEntry } from '../../reports/report-definition.js';
import { analyzeStore, loadReportInput } from '../../reports/run-reports.js';
import type { TelemetryStore } from '../../store/telemetry-store.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';
import { checkSourceUrl } from '../source-url-option.js';

export interface ReportCommandOptions {
  readonly db: string;
  readonly format: string;
  readonly top?: number;
  readonly limit?: number;
  readonly failOn?: string;
  readonly out?: string;
  readonly sourceUrl?: string;
  /** `report state <key>`: one DataBaton key. */
  readonly key?: string;
  /** `report state --request <id>`: one request's DataBaton changes. */
  readonly request?: string;
  /** `report timeline --log <file>`: one ingested log file's timeline. */
  readonly log?: string;
  /** `report timeline --at <where>`: a log file's timeline around a line or an entity. */
  readonly at?: string;
}

/** `beatscope report <name>`: one report on what the store already holds, in the terminal or a file. */
export async function runReport(name: string, opts: ReportCommandOptions): Promise<void> {
  const report = findReport(name);
  if (!report) throw new UsageError(`unknown report "${name}"`, `choose one of: ${reportNames.join(', ')}`);
  const format = report.formats.find((f) => f === opts.format);
  if (!format) {
    throw new UsageError(`the ${name} report has no ${opts.format} format`, `formats: ${report.formats.join(', ')}`);
  }
  if (opts.request !== undefined && name !== 'state')
    throw new UsageError(`the ${name} report has no --request option`, 'only `report state --request <id>` takes one');
  if (opts.log !== undefined && name !== 'timeline')
    throw new UsageError(`the ${name} report has no --log option`, 'only `report timeline --log <file>` takes one');
  if (opts.at !== undefined && name !== 'timeline')
    throw new UsageError(`the ${name} report has no --at option`, 'only `report timeline --at <where>` takes one');
  if (opts.at !== undefined && opts.log !== undefined)
    throw new UsageError('--at and --log both name the log file: give one', '--at <file>:<line> names a line of it');
  if (opts.key !== undefined && name !== 'state')
    throw new UsageError(`the ${name} report takes no argument "${opts.key}"`, 'only `report state <key>` names a key');
  checkSourceUrl(opts.sourceUrl);
  const failKinds = opts.failOn === undefined ? [] : parseFailOn(report, opts.failOn);
  if (format === 'html') return writeSite(report, opts);
  const out = opts.out === undefined ? undefined : await prepareOutput(opts.out, 'file');
  const store = await openStore(opts.db, 'read');
  try {
    const input = await loadReportInput(store, {
      reports: [name],
      heatmap: { top: opts.top },
      suppressions: await suppressions(),
      ...(opts.key !== undefined && { stateKey: opts.key }),
      ...(opts.request !== undefined && { stateRequest: opts.request }),
      ...(await timelineFile(store, opts)),
    });
    if (report.requiresCode && !input.code) {
      throw new UsageError(`the ${name} report needs a code index`, 'run `beatscope index <repo-dir>` first');
    }
    const run = report.run(input);
    const text = run.render(format, {
      colors: opts.out === undefined ? undefined : false,
      limit: opts.limit,
    });
    if (out !== undefined) await writeFile(out, text);
    else process.stdout.write(text);
    if (failKinds.length > 0 && run.fails(failKinds)) process.exitCode = 1;
  } finally {
    await store.close();
  }
}

/** HTML pages link to each other (a heatmap cell opens the timeline): the whole site is written. */
async function writeSite(report: ReportEntry, opts: ReportCommandOptions): Promise<void> {
  const outDir = await prepareOutput(opts.out ?? 'beatscope-report', 'dir');
  const store = await openStore(opts.db, 'read');
  try {
    const set = await analyzeStore(store, {
      heatmap: { top: opts.top },
      suppressions: await suppressions(),
      ...(await timelineFile(store, opts)),
    });
    await writeReportBundle(outDir, set, opts.db, {
      sourceUrl: opts.sourceUrl,
    });
    process.stdout.write(`wrote the report site to ${outDir}\nOpen file://${join(outDir, `${report.name}.html`)}\n`);
  } finally {
    await store.close();
  }
}

/** `--log` or `--at` (`timelineTarget`), a name that is not stored being exit 2. */
async function timelineFile(
  store: TelemetryStore,
  opts: Pick<ReportCommandOptions, 'log' | 'at'>,
): Promise<{ timelineFile?: string; timelineLine?: number }> {
  try {
    return await timelineTarget(store, opts);
  } catch (error) {
    throw error instanceof LineRefError ? new UsageError(error.message) : error;
  }
}

/** `.beatscope/suppressions.json` in the working directory (docs/reports.md); a malformed file is exit 2. */
export async function suppressions() {
  try {
    return await loadSuppressions(DEFAULT_SUPPRESSIONS_PATH);
  } catch (error) {
    if (error instanceof SuppressionsError) {
      throw new UsageError(error.message, 'see "Suppressing a finding" in docs/reports.md');
    }
    throw error;
  }
}

function parseFailOn(report: ReportEntry, list: string): string[] {
  if (report.failKinds.length === 0) {
    const with_ = reportNames.filter((n) => (findReport(n)?.failKinds.length ?? 0) > 0);
    throw new UsageError(`the ${report.name} report has no --fail-on`, `reports with findings: ${with_.join(', ')}`);
  }
  const kinds = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = kinds.filter((k) => !report.failKinds.includes(k));
  if (unknown.length > 0) {
    throw new UsageError(`unknown finding kind(s): ${unknown.join(', ')}`, `kinds: ${report.failKinds.join(', ')}`);
  }
  return kinds;
}
