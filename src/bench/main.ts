/**
 * `npm run bench`: throughput and memory, measured, not asserted. Every number that can have a baseline
 * gets one measured in the same run on the same input (`wc -l` for ingest).
 *   BEATSCOPE_BENCH      sections to run, comma-separated (default: ingest,store,index,analyze,timeline)
 *   BEATSCOPE_BENCH_MB   size of the generated ingest log in MiB (default 1024)
 *   BEATSCOPE_BENCH_BEATS beat runs for the analyze and timeline sections (default 1,000,000)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeStore } from '../analyses/analyze-store.js';
import { keyValues } from '../cli/format.js';
import { benchIndex } from '../codebase/bench.js';
import { ingest } from '../ingest/ingest.js';
import type { TraceEntity } from '../model/index.js';
import { writeReportBundle } from '../reports/report-bundle.js';
import { benchTimeline, syntheticTrace } from '../reports/timeline-bench.js';
import { benchStore } from '../store/bench.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { InMemoryStore } from '../store/in-memory-store.js';
import { generateChromeLog } from './generate-log.js';

const MB = 1024 * 1024;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function print(title: string, rows: [string, string][]): void {
  process.stdout.write(`\n== ${title} ==\n${keyValues(rows)}\n`);
}

function seconds(f: () => void): number {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
}

/** Ingest end to end into DuckDB, against `wc -l` on the same file; peak RSS of this process. */
async function benchIngest(dir: string): Promise<void> {
  const targetMb = Number(process.env['BEATSCOPE_BENCH_MB'] ?? 1024);
  const file = join(dir, 'bench-chrome-iso.log');
  process.stdout.write(`generating a ${targetMb} MiB Chrome ISO-style log …\n`);
  const { bytes, lines } = await generateChromeLog(file, targetMb * MB);
  const wcSeconds = seconds(() => execFileSync('wc', ['-l', file]));
  const store = await DuckDbStore.open(join(dir, 'bench.duckdb'));
  const rssBefore = process.resourceUsage().maxRSS;
  const t = performance.now();
  const report = await ingest([file], { store });
  const ingestSeconds = (performance.now() - t) / 1000;
  const summary = await store.summary();
  await store.close();
  if (report.outcomes[0]?.status !== 'ingested')
    throw new Error(`bench ingest failed: ${JSON.stringify(report.outcomes[0])}`);
  print('ingest (Chrome ISO log → DuckDB, end to end)', [
    ['file', `${fmt(bytes / MB)} MiB, ${fmt(lines)} lines`],
    [
      'reconstructed',
      `${fmt(summary.sequenceRuns)} sequence runs, ${fmt(summary.beatRuns)} beat runs, ${fmt(summary.batonDiffs)} baton diffs`,
    ],
    [
      'ingest',
      `${ingestSeconds.toFixed(2)} s = ${fmt(bytes / MB / ingestSeconds, 1)} MB/s, ${fmt(lines / ingestSeconds / 1e6, 2)} M lines/s`,
    ],
    ['baseline wc -l', `${wcSeconds.toFixed(2)} s = ${fmt(bytes / MB / wcSeconds)} MB/s`],
    ['ratio', `ingest takes ${fmt(ingestSeconds / wcSeconds, 1)}× the time of wc -l`],
    [
      'peak RSS',
      `${fmt(Math.max(rssBefore, process.resourceUsage().maxRSS) / 1024)} MiB (whole process, workers included)`,
    ],
  ]);
}

async function benchStoreAppend(): Promise<void> {
  const perSecond = await benchStore({ count: 1_000_000 });
  print('store append (1,000,000 beat runs into DuckDB, one transaction)', [
    ['throughput', `${fmt(perSecond)} entities/s`],
  ]);
}

async function benchCodeIndex(): Promise<void> {
  const r = await benchIndex();
  print('code index (generated repo: 2,000 handler modules, 5,000 test files)', [
    ['full index', `${fmt(r.files)} files in ${fmt(r.ms)} ms = ${fmt(r.filesPerSec)} files/s`],
    [
      're-index after touching one file',
      `${fmt(r.reindexMs)} ms (${fmt(r.reparsed)} file re-parsed) = 1/${fmt(r.ms / Math.max(1, r.reindexMs), 1)} of the full index`,
    ],
    ['found', `${fmt(r.handlers)} handlers, ${fmt(r.tests)} tests`],
  ]);
}

/** Every analysis and the whole site over synthetic beat runs (the shape real ingests produce). */
async function benchAnalyze(dir: string): Promise<void> {
  const beats = Number(process.env['BEATSCOPE_BENCH_BEATS'] ?? 1_000_000);
  const data = syntheticTrace(beats);
  const store = new InMemoryStore();
  const writer = await store.beginFile('bench');
  const all: TraceEntity[] = [...data.sessions, ...data.runs, ...data.beats, ...data.handlerRuns, ...data.errors];
  await writer.append(all);
  await writer.commit({
    fileId: 'bench',
    path: '/bench',
    sizeBytes: 0,
    mtimeMs: 0,
    format: 'bench',
    encoding: 'utf-8',
    gzip: false,
    lines: 0,
    linesRecognized: 0,
    linesUnknown: 0,
    diagnostics: [],
  });
  const t = performance.now();
  const analysis = await analyzeStore(store);
  const tSite = performance.now();
  const bundle = await writeReportBundle(join(dir, 'report'), analysis, 'bench');
  const siteMs = performance.now() - tSite;
  const totalMs = performance.now() - t;
  const sizes = bundle.files.map((f) => [f.split('/').pop()!, statSync(f).size] as const);
  const ms = (n: number) => `${fmt(n)} ms`;
  print(`analyze (${fmt(beats)} beat runs, ${fmt(data.handlerRuns.length)} handler runs)`, [
    ['load from store', ms(analysis.timingsMs.load)],
    ['heatmap', ms(analysis.timingsMs.heatmap)],
    ['flows', ms(analysis.timingsMs.flows)],
    ['timeline data', ms(analysis.timingsMs.timeline)],
    ['site + JSON + summary.md', ms(siteMs)],
    ['whole analyze', ms(totalMs)],
    ...sizes.map(([name, size]) => [`  ${name}`, `${fmt(size / 1024)} KiB`] as [string, string]),
    [
      'peak RSS',
      `${fmt(process.resourceUsage().maxRSS / 1024)} MiB (of the bench process so far: earlier sections included)`,
    ],
  ]);
}

async function benchTimelineFrames(): Promise<void> {
  const beats = Number(process.env['BEATSCOPE_BENCH_BEATS'] ?? 1_000_000);
  const r = await benchTimeline(beats);
  print(`timeline page in Chromium (${fmt(beats)} beats, scripted drags)`, [
    ['page size', `${fmt(r.htmlBytes / MB, 1)} MiB`],
    [
      'frame interval while panning',
      `p50 ${r.frameMsP50.toFixed(1)} ms, p95 ${r.frameMsP95.toFixed(1)} ms (display-bound at ~16.7 ms)`,
    ],
    ['draw time per frame', `p50 ${r.drawMsP50.toFixed(2)} ms, p95 ${r.drawMsP95.toFixed(2)} ms`],
  ]);
}

const SECTIONS: Record<string, (dir: string) => Promise<void>> = {
  ingest: benchIngest,
  store: benchStoreAppend,
  index: benchCodeIndex,
  analyze: benchAnalyze,
  timeline: benchTimelineFrames,
};

async function main(): Promise<void> {
  const wanted = (process.env['BEATSCOPE_BENCH'] ?? Object.keys(SECTIONS).join(',')).split(',');
  for (const name of wanted) {
    const section = SECTIONS[name.trim()];
    if (!section) throw new Error(`unknown bench section "${name}"; sections: ${Object.keys(SECTIONS).join(', ')}`);
    const dir = mkdtempSync(join(tmpdir(), `beatscope-bench-${name}-`));
    try {
      await section(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
