import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyzeStore } from '../../analyses/analyze-store.js';
import { failOn, parseViolationKinds, violationKinds } from '../../analyses/flow-types.js';
import { loadTraceData, type TraceData } from '../../analyses/trace-data.js';
import type { CodeIndex } from '../../model/index.js';
import {
  analyses,
  findReporter,
  formatsOf,
  type ReportFormat,
  type ReportName,
  reportNames,
} from '../../reports/registry.js';
import { writeReportBundle } from '../../reports/report-bundle.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { checkSourceUrl } from '../source-url-option.js';

export interface ReportCommandOptions {
  readonly db: string;
  readonly format: string;
  readonly top?: number;
  readonly limit?: number;
  readonly failOn?: string;
  readonly out?: string;
  readonly sourceUrl?: string;
}

/** `beatscope report <name>`: one report on what the store already holds, in the terminal or a file. */
export async function runReport(name: string, opts: ReportCommandOptions): Promise<void> {
  if (!reportNames.includes(name as ReportName)) {
    throw new UsageError(`unknown report "${name}"`, `choose one of: ${reportNames.join(', ')}`);
  }
  const report = name as ReportName;
  checkSourceUrl(opts.sourceUrl);
  if (opts.format === 'html') return writeSite(report, opts);
  const render = findReporter(report, opts.format as ReportFormat);
  if (!render) {
    const formats = [...formatsOf(report), 'html'].join(', ');
    throw new UsageError(`the ${report} report has no ${opts.format} format`, `formats: ${formats}`);
  }
  const failKinds = opts.failOn === undefined ? [] : parseFailOn(opts.failOn);
  const store = await openStore(opts.db, 'read');
  try {
    const [data, snapshot] = await Promise.all([loadTraceData(store), store.loadCodeIndex()]);
    const code = snapshot?.index;
    if (report !== 'timeline' && analyses[report].requiresCode && !code) {
      throw new UsageError(`the ${report} report needs a code index`, 'run `beatscope index <repo-dir>` first');
    }
    const built = buildReport(report, data, code, opts.top);
    const text = await (render as (r: unknown, o: object) => string | Promise<string>)(built, {
      colors: opts.out === undefined ? undefined : false,
      limit: opts.limit,
    });
    if (opts.out !== undefined) await writeFile(opts.out, text);
    else process.stdout.write(text);
    if (report === 'flows' && failKinds.length > 0 && failOn(built as Parameters<typeof failOn>[0], failKinds)) {
      process.exitCode = 1;
    }
  } finally {
    await store.close();
  }
}

/** HTML pages link to each other (a heatmap cell opens the timeline): the whole site is written. */
async function writeSite(report: ReportName, opts: ReportCommandOptions): Promise<void> {
  const store = await openStore(opts.db, 'read');
  try {
    const outDir = resolve(opts.out ?? 'beatscope-report');
    await writeReportBundle(outDir, await analyzeStore(store, { heatmap: { top: opts.top } }), opts.db, {
      sourceUrl: opts.sourceUrl,
    });
    process.stdout.write(`wrote the report site to ${outDir}\nOpen file://${join(outDir, `${report}.html`)}\n`);
  } finally {
    await store.close();
  }
}

function buildReport(report: ReportName, data: TraceData, code: CodeIndex | undefined, top: number | undefined) {
  if (report === 'timeline') return data;
  if (report === 'heatmap') return analyses.heatmap.build(data, code, { heatmap: { top } });
  return analyses[report].build(data, code);
}

function parseFailOn(list: string) {
  const { kinds, unknown } = parseViolationKinds(list);
  if (unknown.length > 0) {
    throw new UsageError(`unknown violation kind(s): ${unknown.join(', ')}`, `kinds: ${violationKinds.join(', ')}`);
  }
  return kinds;
}
