/**
 * The `analyze-store` bench section: `beatscope analyze` as users run it, on a DuckDB store made from a
 * generated Chrome log. The log is generated and ingested in the section's process (timed, for the input's
 * scale), then a fresh process opens the store, runs every report and writes the site, so its peak RSS is the
 * analysis's alone (ingest's buffers and DuckDB's caches do not count). Input: BEATSCOPE_BENCH_ANALYZE_MB MiB.
 *
 * Measured on the shared 2-core machine (load average 6-11, so ingest itself ran 2-4× slower than unloaded):
 *   200 MiB (172k beat runs), all runs loaded as entities:    87.9 s,  2,144 MiB peak RSS (ingest 21 s)
 *   200 MiB, aggregates streamed, 50,000-beat timeline:       63.3 s,    753 MiB peak RSS (ingest 59 s)
 *   400 MiB (344k beat runs), same:                          108.4 s,  1,116 MiB peak RSS (ingest 85 s)
 * December 2026, same machine (load average 2 for the first line, 12-17 for the rest, so times are 3-8× unloaded):
 *   100 MiB (86k beat runs), before the changes below:       252.7 s,    643 MiB peak RSS (graph 98 s and sequences
 *     141 s: which run started which was found by trying every beat of the window for every run)
 *   chains found with a sorted sweep: graph and sequences each ~0.5 s on a 10,000-beat window, ~1-3 s on 50,000
 *   handler-run facts of a 2 GiB log (1,761,182 runs) streamed in (file, line range) batches: 350 MiB peak RSS for
 *     that pass alone (the keyset batches it replaces: 295 MiB at a 200 MiB log), 317 s at load 17; one query over
 *     the whole table ran out of DuckDB's 384 MB there. Its runs with their parts (587,061 runs), batched the same
 *     way: 399 MiB peak RSS for that pass alone, 767 s at load 15.
 *   400 MiB, every report without the site (analyzeStore, 50,000-beat window): 848 MiB peak RSS, 361 s at load 15
 *     (the code before these changes: 1,170 MiB, 59 s at load 8). Memory fell, but the range batches cost more
 *     time than the keyset batches did: each batch of 4,096 runs scans the three part tables (RUNS_PER_QUERY). Whole analyze at 2 GiB: not measured yet (the machine was
 *     at load 15-17); the 1M-beat `analyze` section took 272 s at that load (load from the in-memory store 232 s,
 *     7 s at 100,000 beats): the 10 s bar is not met.
 * Later that day (load 3-10), after profiling both paths: building a string key per handler run (counts, trends,
 * graph edges), growing typed arrays per group and a Map/Set pass over a million ids per read of the in-memory store
 * replaced by interned indexes, plain arrays and a join by position; node-api decoding every VARCHAR over 12 bytes
 * with a native call and a buffer per value replaced by reading name columns as ENUMs (duckdb-name-enums.ts):
 *   300 MiB (258k beat runs), the aggregates pass (handler-run facts + runs with parts): 38-41 s → 12.4 s at load 6
 *   2 GiB (1,761,182 beat runs, 587,061 sequence runs), whole `beatscope analyze` (ingest skipped, reports written):
 *     8 min 52 s, 215 CPU-s, 2,218 MiB peak RSS at load 6-7 before; 2 min 53 s, 148 CPU-s, 2,000 MiB at load 4-5
 *     after. The peak is V8's old space filling with garbage during the aggregates pass (the heap holds ~220 MiB
 *     after a full GC): with --max-old-space-size=400 the 300 MiB pass peaks at 496 MiB instead of 876 MiB. In V8's
 *     memory-saving mode, which analyze now switches on past 500,000 beat runs (cli/favour-small-heap.ts): 2 min 39 s
 *     at load 1.5-2, 221 CPU-s, 1,143 MiB peak RSS, same report.
 * The in-memory `analyze` section (1,000,000 beat runs, src/bench/main.ts), later in December 2026, run alternately
 * with the code before at load 4.3-5.3 (other work on the machine): whole analyze 20.6-23.6 s, 19.3-20.2 CPU-s,
 * 2,192-2,222 MiB peak RSS before; 14.3-16.6 s, 13.6-15.2 CPU-s, 1,998-2,004 MiB after (load from the store
 * 13.8-14.8 s → 7.9-8.5 s; the site 3.0-4.5 s both). Every report's JSON, text, Markdown and page byte-identical
 * before and after (demo store and 20,000- and 100,000-beat synthetic stores). The 10 s bar is still not met at
 * that load: what is left is the heatmap's per-run grouping (~1 µs a run), a full GC of the ~2 GiB heap landing
 * in a report, and the site's 60 server-rendered charts (~1 s). What changed:
 *   - the in-memory store joins handler runs to beats and runs, and runs to their parts, by position when the ids
 *     are unique (checked once by sorted 32-bit hashes; store/id-positions.ts) instead of maps of a million ids,
 *     hands out its own entity lists instead of copies, and counts its summary without a string per entity;
 *   - one pass over the handler runs when no session has both times (the heatmap places runs once their own time
 *     range is known; today each run is a row of fact-columns.ts) instead of a first pass for that range;
 *   - the heatmap keeps every group's durations in one arena of large fixed chunks (since replaced by one row of
 *     numbers per run, analyses/fact-columns.ts): a growing array per group made half of each young-generation
 *     collection a copy of their backing stores;
 *   - graph facts index runs, beats and handler runs only when publishes, DataBaton lines or timed request ids
 *     need them; the innermost-interval index is built on typed arrays; graph edges, trends and the heatmap keep
 *     their last session or sequence run's groups instead of looking them up per run;
 *   - report files are written while the next one renders.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { favourSmallHeapFor } from '../cli/favour-small-heap.js';
import { ingest } from '../ingest/ingest.js';
import { writeReportBundle } from '../reports/report-bundle.js';
import { analyzeStore } from '../reports/run-reports.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { generateChromeLogs } from './generate-log.js';

const MB = 1024 * 1024;

/** Set in the analyzing process: the store to analyze and the folder to write the site into. */
const DB_ENV = 'BEATSCOPE_BENCH_ANALYZE_DB';

export interface AnalyzeStoreResult {
  readonly beats: number;
  readonly sequenceRuns: number;
  /** Wall ms: `load` and one entry per report (as `ReportSet.timingsMs`), then `site`, then `total`. */
  readonly timingsMs: Record<string, number>;
  /** Peak RSS of the analyzing process, bytes. */
  readonly peakRssBytes: number;
}

/** In the analyzing process: open the store read-only, analyze, write the site; prints one JSON line. */
export async function analyzeStoreChild(): Promise<boolean> {
  const db = process.env[DB_ENV];
  if (db === undefined) return false;
  const t = performance.now();
  const store = await DuckDbStore.open(db, { readOnly: true });
  try {
    // As `beatscope analyze` does after ingest.
    favourSmallHeapFor((await store.summary()).beatRuns);
    const analysis = await analyzeStore(store);
    const tSite = performance.now();
    await writeReportBundle(join(db, '..', 'report'), analysis, 'bench');
    const timingsMs = { ...analysis.timingsMs, site: performance.now() - tSite, total: performance.now() - t };
    const result: AnalyzeStoreResult = {
      beats: analysis.summary.beatRuns,
      sequenceRuns: analysis.summary.sequenceRuns,
      timingsMs,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
  }
  return true;
}

export interface AnalyzeStoreBench {
  readonly mib: number;
  /** Log files the store was ingested from (1: one log of `mib`; more: consoles of `mib / files` each). */
  readonly files: number;
  /** One run in this many had a handler that threw (0: none), so that every part of the store holds something to judge. */
  readonly errorEveryRuns: number;
  readonly lines: number;
  readonly ingestSeconds: number;
  readonly storeBytes: number;
  readonly result: AnalyzeStoreResult;
}

/**
 * Generates and ingests the log in this process, then analyzes it in a new one (see the file header). `files`: the
 * same bytes as that many consoles (one app start an hour each), the store users' folders of saved consoles make.
 */
export async function benchAnalyzeStore(
  dir: string,
  mib: number,
  errorEveryRuns = 0,
  files = 1,
): Promise<AnalyzeStoreBench> {
  const logs = Array.from({ length: files }, (_, i) => join(dir, `analyze-${String(i).padStart(5, '0')}.log`));
  const { bytes, lines } = await generateChromeLogs(
    logs,
    (mib * MB) / files,
    (hour) => Date.UTC(2026, 10, 20, 9) + hour * 3_600_000,
    errorEveryRuns,
  );
  const db = join(dir, 'analyze.duckdb');
  const store = await DuckDbStore.open(db);
  const t = performance.now();
  const report = await ingest(logs, { store });
  await store.close();
  const ingestSeconds = (performance.now() - t) / 1000;
  if (report.outcomes.some((o) => o.status !== 'ingested')) throw new Error('bench analyze-store: ingest failed');
  const child = spawnSync(process.execPath, process.argv.slice(1), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, [DB_ENV]: db },
    maxBuffer: 16 * MB,
  });
  if (child.status !== 0) throw new Error(`bench analyze-store: the analyzing process exited ${child.status}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as AnalyzeStoreResult;
  return { mib: bytes / MB, files, errorEveryRuns, lines, ingestSeconds, storeBytes: statSync(db).size, result };
}
