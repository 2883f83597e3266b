/**
 * `npm run bench`: throughput and memory, measured, not asserted. Every number that can have a baseline
 * gets one measured in the same run on the same input (`wc -l` for ingest).
 *   BEATSCOPE_BENCH      sections to run, comma-separated (default: ingest,ingest-split,ingest-files,ingest-small,
 *                        ingest-small-crlf,store,index,analyze,analyze-store,timeline,accuracy,regressions,serve,trends,
 *                        mutants); `ingest-split` is `ingest` with the one file cut into chunks for parser threads
 *                        (`chunkBytes`); `ingest-small-crlf` is `ingest-small` saved with CRLF line ends; `accuracy`
 *                        prints the findings' precision/recall table, `regressions` compare's A/A and A/B rates
 *                        (BEATSCOPE_REGRESSION_SESSIONS sessions per release, default 20; seeds from
 *                        BEATSCOPE_REGRESSION_SEED, default 8101), `trends` how often
 *                        report trends locates slowed handlers (BEATSCOPE_TRENDS_SESSIONS sessions, default 24);
 *                        `serve` a short soak of the built `beatscope serve` (serve-bench.ts: BEATSCOPE_SERVE_*),
 *                        `mutants` the share of demo-app mutants replay and the generated tests kill
 *   BEATSCOPE_BENCH_MB   sizes of the generated ingest input in MiB, comma-separated (default 200,1024): `ingest`
 *                        and `ingest-split` run once per size, each in a process of its own; `ingest-files` cuts
 *                        the largest in 8 (8 × 128 MiB by default)
 *   BEATSCOPE_BENCH_SMALL_FILES consoles of 256 KiB that `ingest-small` ingests as one folder (default 400)
 *   BEATSCOPE_BENCH_BEATS beat runs for the analyze and timeline sections (default 1,000,000)
 *   BEATSCOPE_BENCH_ANALYZE_MB sizes of the logs ingested, then analyzed, by analyze-store in MiB, comma-separated
 *                        (default 200); each size is analyzed twice, a log without errors (findings' parts have
 *                        nothing to judge) and one with a handler error every 500 runs (every
 *                        part is judged); then a store of BEATSCOPE_BENCH_SMALL_FILES consoles of 256 KiB; each
 *                        prints its section, then one table gives analyze time and peak RSS against input size
 *                        (MiB of log, beat runs) for every size
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyValues } from '../cli/format.js';
import { indexInto } from '../cli/index-into.js';
import { benchIndex, editBenchModule } from '../codebase/bench.js';
import { ingest } from '../ingest/ingest.js';
import { parseFile } from '../ingest/parse-file.js';
import { DEFAULT_CHUNK_BYTES } from '../ingest/split-file.js';
import type { HandlerRun } from '../model/index.js';
import { writeReportBundle } from '../reports/report-bundle.js';
import { analyzeStore } from '../reports/run-reports.js';
import { benchTimeline } from '../reports/timeline-bench.js';
import { type ColumnBatch, ColumnBatchEncoder } from '../store/column-batch.js';
import { benchStore } from '../store/duckdb/bench.js';
import { openInstance, releasePath } from '../store/duckdb/duckdb-open.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { accuracyTable } from './accuracy-main.js';
import { type AnalyzeStoreBench, analyzeStoreChild, benchAnalyzeStore } from './analyze-store.js';
import { generateChromeLog, generateChromeLogs } from './generate-log.js';
import { mutantKillTable } from './mutants.js';
import { regressionAccuracyTable } from './regression-accuracy.js';
import { benchServe } from './serve-bench.js';
import { syntheticStore } from './synthetic-store.js';
import { trendsAccuracyTable } from './trends-accuracy.js';

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

interface Share {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** `f`'s result with its wall and CPU seconds (every thread of this process). */
async function timed<T>(f: () => Promise<T>): Promise<Share & { value: T }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const { user, system } = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - t) / 1000, cpuSeconds: (user + system) / 1e6 };
}

/** Runs `sql` in the database at `path`, opened as the store opens it (its threads and memory limit), then closed. */
async function runInDuckDb(path: string, sql: string): Promise<void> {
  const { instance, pathKey } = await openInstance(path);
  try {
    const connection = await instance.connect();
    await connection.run(sql);
    connection.closeSync();
  } finally {
    instance.closeSync();
    releasePath(pathKey);
  }
}

/**
 * A floor for storing these files in DuckDB: its own CSV reader writing each raw line as one VARCHAR
 * row, no parsing (its threads, the store's memory limit), the database closed inside the timing.
 */
async function rawLines(files: readonly string[]): Promise<Share> {
  const path = join(dirname(files[0]!), 'raw-lines.duckdb');
  const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
  const share = await timed(() =>
    runInDuckDb(
      path,
      `CREATE TABLE raw AS SELECT * FROM read_csv([${list}], columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false)`,
    ),
  );
  rmSync(path, { force: true });
  return share;
}

/** MiB of log behind the store-share measurement: its parsed batches are held in memory while it runs. */
const STORE_SHARE_MIB = 64;

/**
 * An ingest's two halves on a log of the same shape, timed apart: the parse (read, envelope, grammar,
 * trace rebuilt, entities column-encoded: beatscope's own code), then DuckDB's share from batches parsed
 * beforehand and held in memory: appends, commit and close (the checkpoint). CPU of every thread
 * included. The store share's MB per CPU-second is the most an ingest into this store can reach per
 * core, however fast the parsing.
 */
async function ingestShares(dir: string): Promise<{ mb: number; parse: Share; store: Share; floor: Share }> {
  const log = join(dir, 'store-share.log');
  const { bytes } = await generateChromeLog(log, STORE_SHARE_MIB * MB);
  const fileId = 'store-share';
  // Parsed twice: timed with its batches dropped (as an ingest does once they are stored), then kept.
  const parseInto = (keep: ColumnBatch[] | null) => {
    const encoder = new ColumnBatchEncoder(fileId);
    return parseFile(log, fileId, (entities) => {
      const batch = encoder.encode(entities);
      keep?.push(batch);
    });
  };
  const parse = await timed(() => parseInto(null));
  const batches: ColumnBatch[] = [];
  const { info } = await parseInto(batches);
  const db = join(dir, 'store-share.duckdb');
  const store = await DuckDbStore.open(db);
  const stored = await timed(async () => {
    const writer = await store.beginFile(fileId);
    for (const batch of batches) await writer.appendColumns(batch);
    await writer.commit(info);
    await store.close();
  });
  const floor = await nativeInsert(db, dir);
  rmSync(db, { force: true });
  rmSync(log, { force: true });
  return { mb: bytes / MB, parse, store: stored, floor };
}

/**
 * DuckDB's own cost for the rows an ingest stores, no JavaScript in the loop: the store at `db` is exported
 * to Parquet, then a new database (the store's threads and memory limit) imports it, checkpoints and
 * closes inside the timing. Parquet's decoding is in it too, but small beside DuckDB's appends, compression and
 * writes: no appender, however good, stores these rows for much less.
 */
async function nativeInsert(db: string, dir: string): Promise<Share> {
  const exported = join(dir, 'store-share-parquet');
  const copy = join(dir, 'store-share-copy.duckdb');
  await runInDuckDb(db, `EXPORT DATABASE '${exported}' (FORMAT parquet)`);
  const share = await timed(() => runInDuckDb(copy, `IMPORT DATABASE '${exported}'; CHECKPOINT`));
  rmSync(exported, { recursive: true, force: true });
  rmSync(copy, { force: true });
  return share;
}

/**
 * Ingest end to end into DuckDB (store closed, i.e. checkpointed, inside the timing), against `wc -l`
 * and against DuckDB storing the raw lines (`rawLines`) of the same files. CPU time is the whole
 * process's (parser threads and DuckDB's threads included): MB per CPU-second is the throughput per
 * core. Peak RSS is this process's; each section runs in a process of its own (see `main`).
 */
async function measureIngest(
  title: string,
  files: readonly string[],
  bytes: number,
  lines: number,
  chunkBytes?: number,
): Promise<void> {
  const wcSeconds = seconds(() => execFileSync('wc', ['-l', ...files]));
  const store = await DuckDbStore.open(join(dirname(files[0]!), 'bench.duckdb'));
  const cpu = process.cpuUsage();
  const t = performance.now();
  const report = await ingest(files, { store, chunkBytes });
  const ingestMs = performance.now() - t;
  const summary = await store.summary();
  // Rows the store holds: beat-level `No changes` DataBaton lines live in their beat rows (schema version 2).
  const [{ rows: batonRows } = { rows: 0 }] = (await store.query('SELECT count(*) AS rows FROM baton_diffs')) as {
    rows: number;
  }[];
  const tClose = performance.now();
  await store.close();
  const ingestSeconds = (ingestMs + performance.now() - tClose) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const cpuSeconds = (user + system) / 1e6;
  const peakRss = process.resourceUsage().maxRSS;
  const raw = await rawLines(files); // after: its memory is not the ingest's
  const shares = await ingestShares(dirname(files[0]!));
  const failed = report.outcomes.filter((o) => o.status !== 'ingested');
  if (failed.length > 0) throw new Error(`bench ingest failed: ${JSON.stringify(failed[0])}`);
  const mb = bytes / MB;
  print(title, [
    ['input', `${fmt(files.length)} file(s), ${fmt(mb)} MiB, ${fmt(lines)} lines`],
    [
      'reconstructed',
      `${fmt(summary.sequenceRuns)} sequence runs, ${fmt(summary.beatRuns)} beat runs, ${fmt(summary.batonDiffs)} DataBaton lines (${fmt(Number(batonRows))} stored as baton diff rows, the others folded into their beats)`,
    ],
    [
      'ingest',
      `${ingestSeconds.toFixed(2)} s = ${fmt(mb / ingestSeconds, 1)} MB/s, ${fmt(lines / ingestSeconds / 1e6, 2)} M lines/s`,
    ],
    [
      'per core',
      `${cpuSeconds.toFixed(1)} CPU-s = ${fmt(mb / cpuSeconds, 1)} MB/s, ${fmt(lines / cpuSeconds / 1e6, 2)} M lines/s per CPU-second (all threads)`,
    ],
    ['baseline wc -l', `${wcSeconds.toFixed(2)} s = ${fmt(mb / wcSeconds)} MB/s`],
    [
      'baseline DuckDB',
      `${raw.seconds.toFixed(2)} s = ${fmt(mb / raw.seconds)} MB/s to store the raw lines, unparsed; ${raw.cpuSeconds.toFixed(1)} CPU-s = ${fmt(mb / raw.cpuSeconds)} MB/s per core`,
    ],
    [
      'parse share',
      `${fmt(shares.mb)} MiB of log read, parsed and column-encoded, no store: ${shares.parse.seconds.toFixed(2)} s, ${shares.parse.cpuSeconds.toFixed(2)} CPU-s = ${fmt(shares.mb / shares.parse.cpuSeconds, 1)} MB/s per core`,
    ],
    [
      'store share',
      `the same, parsed beforehand: appends, commit and close take ${shares.store.seconds.toFixed(2)} s, ${shares.store.cpuSeconds.toFixed(2)} CPU-s = at most ${fmt(shares.mb / shares.store.cpuSeconds, 1)} MB/s per core into this store`,
    ],
    [
      'store floor',
      `the same rows imported by DuckDB itself from Parquet (its decoding included), no JavaScript: ${shares.floor.seconds.toFixed(2)} s, ${shares.floor.cpuSeconds.toFixed(2)} CPU-s = about ${fmt(shares.mb / shares.floor.cpuSeconds, 1)} MB/s per core at best`,
    ],
    [
      'ratio',
      `ingest takes ${fmt(ingestSeconds / wcSeconds, 1)}× the time of wc -l, ${fmt(ingestSeconds / raw.seconds, 1)}× that of storing the raw lines`,
    ],
    ['peak RSS', `${fmt(peakRss / 1024)} MiB (whole process, threads included)`],
  ]);
}

/** The ingest input sizes in MiB (BEATSCOPE_BENCH_MB); a section's process gets one of them. */
const benchSizes = () =>
  (process.env['BEATSCOPE_BENCH_MB'] ?? '200,1024')
    .split(',')
    .map((m) => Number(m.trim()))
    .filter((m) => m > 0);
const benchMb = () => Math.max(...benchSizes());

/** Sections run once per input size, each size in a process of its own. */
const PER_SIZE = new Set(['ingest', 'ingest-split']);

/** One large log, as `beatscope ingest` takes it by default: parsed in a parser thread while this one appends. */
async function benchIngest(dir: string): Promise<void> {
  const file = join(dir, 'bench-chrome-iso.log');
  process.stdout.write(`generating a ${benchMb()} MiB Chrome ISO-style log …\n`);
  const { bytes, lines } = await generateChromeLog(file, benchMb() * MB);
  await measureIngest(
    `ingest, one file of ${benchMb()} MiB (Chrome ISO log → DuckDB, end to end)`,
    [file],
    bytes,
    lines,
  );
}

/** The same log cut into 8 MiB chunks parsed by parser threads (split-file.ts), rebuilt and stored here. */
async function benchIngestSplit(dir: string): Promise<void> {
  const file = join(dir, 'bench-chrome-iso.log');
  process.stdout.write(`generating a ${benchMb()} MiB Chrome ISO-style log …\n`);
  const { bytes, lines } = await generateChromeLog(file, benchMb() * MB);
  await measureIngest(
    `ingest, one file of ${benchMb()} MiB split into chunks for parser threads (chunkBytes 8 MiB, end to end)`,
    [file],
    bytes,
    lines,
    DEFAULT_CHUNK_BYTES,
  );
}

/** The same volume as eight logs (a day of saved consoles), parsed by worker threads. */
async function benchIngestFiles(dir: string): Promise<void> {
  const count = 8;
  process.stdout.write(`generating ${count} Chrome ISO-style logs of ${benchMb() / count} MiB …\n`);
  const files = Array.from({ length: count }, (_, i) => join(dir, `bench-${i + 1}.log`));
  // One app start a day.
  const { bytes, lines } = await generateChromeLogs(files, (benchMb() * MB) / count, (day) =>
    Date.UTC(2026, 10, 20 + day, 9),
  );
  await measureIngest(`ingest, ${count} files (parser threads → DuckDB, end to end)`, files, bytes, lines);
}

/**
 * The folder users have most: many small consoles (dozens saved a day). Each is a file of its own to plan and
 * commit, which is what this measures against DuckDB storing the same lines. `crlf`: the same consoles saved
 * with CRLF line ends (Windows), which the byte path leaves to the string reader (importers/chrome-bytes.ts).
 */
async function benchIngestSmallFiles(dir: string, crlf = false): Promise<void> {
  const count = Number(process.env['BEATSCOPE_BENCH_SMALL_FILES'] ?? 400);
  const size = 256 * 1024;
  const ends = crlf ? ' with CRLF line ends' : '';
  process.stdout.write(`generating ${count} Chrome ISO-style logs of ${size / 1024} KiB${ends} …\n`);
  const files = Array.from({ length: count }, (_, i) => join(dir, `small-${String(i).padStart(5, '0')}.log`));
  // One app start an hour.
  const made = await generateChromeLogs(files, size, (hour) => Date.UTC(2026, 5, 1, 9) + hour * 3_600_000);
  if (crlf)
    for (const file of files) writeFileSync(file, readFileSync(file, 'latin1').replaceAll('\n', '\r\n'), 'latin1');
  // A CRLF line end is one byte more per line.
  const bytes = made.bytes + (crlf ? made.lines : 0);
  const { lines } = made;
  const what = `ingest, ${count} small files${ends} (commit groups, parser threads → DuckDB)`;
  await measureIngest(what, files, bytes, lines);
}

async function benchStoreAppend(): Promise<void> {
  const perSecond = await benchStore({ count: 1_000_000 });
  print('store append (1,000,000 beat runs into DuckDB, one transaction)', [
    ['throughput', `${fmt(perSecond)} entities/s`],
  ]);
}

/**
 * `beatscope index` run twice on the bench repo, the second time after editing one file: in this process as
 * the CLI does it (store opened, state read back, index, state and index saved, store closed; modules are
 * already loaded and compiled here), then as real `beatscope index` processes.
 */
async function benchIndexThroughStore(root: string, dir: string): Promise<Record<string, number>> {
  const viaStore = async (db: string): Promise<number> => {
    const t = performance.now();
    const store = await DuckDbStore.open(db);
    try {
      await indexInto(store, root);
    } finally {
      await store.close();
    }
    return performance.now() - t;
  };
  const cli = (db: string): number => {
    const t = performance.now();
    execFileSync(process.execPath, [
      fileURLToPath(new URL('../cli/main.js', import.meta.url)),
      'index',
      root,
      '--db',
      db,
    ]);
    return performance.now() - t;
  };
  const storeFullMs = await viaStore(join(dir, 'in-process.duckdb'));
  editBenchModule(root, 1);
  const storeReindexMs = await viaStore(join(dir, 'in-process.duckdb'));
  const cliFullMs = cli(join(dir, 'cli.duckdb'));
  editBenchModule(root, 2);
  const cliReindexMs = cli(join(dir, 'cli.duckdb'));
  return { storeFullMs, storeReindexMs, cliFullMs, cliReindexMs };
}

async function benchCodeIndex(dir: string): Promise<void> {
  const r = await benchIndex((root) => benchIndexThroughStore(root, dir));
  const s = r.also!;
  const ratio = (full: number, re: number) => `1/${fmt(full / Math.max(1, re), 1)}`;
  print('code index (generated repo: 2,000 handler modules, 5,000 test files)', [
    ['full index', `${fmt(r.files)} files in ${fmt(r.ms)} ms = ${fmt(r.filesPerSec)} files/s`],
    [
      're-index after touching one file',
      `${fmt(r.reindexMs)} ms (${fmt(r.reparsed)} file re-parsed) = ${ratio(r.ms, r.reindexMs)} of the full index`,
    ],
    [
      'through the store (as the CLI)',
      `full ${fmt(s['storeFullMs']!)} ms, re-index after touching one file ${fmt(s['storeReindexMs']!)} ms = ${ratio(s['storeFullMs']!, s['storeReindexMs']!)} (open, state read back, save, close; in this process)`,
    ],
    [
      'beatscope index (new process)',
      `full ${fmt(s['cliFullMs']!)} ms, re-run after touching one file ${fmt(s['cliReindexMs']!)} ms = ${ratio(s['cliFullMs']!, s['cliReindexMs']!)} (process start and module loading included)`,
    ],
    ['found', `${fmt(r.handlers)} handlers, ${fmt(r.tests)} tests`],
  ]);
}

/**
 * The analyze section's in-run reference: DuckDB (the store's settings) reading the same handler runs from a CSV
 * file and computing each handler's p50/p95/p99 and each handler × session's p95 — the heatmap's core statistics,
 * in SQL on both cores — the database closed inside the timing. Measured in the same run as the analysis, so the
 * ratio between the two holds when the machine runs slow.
 */
async function percentilesInDuckDb(dir: string, runs: readonly HandlerRun[]): Promise<Share> {
  const csv = join(dir, 'handler-runs.csv');
  const quoted = (s: string | null) => (s === null ? '' : `"${s.replaceAll('"', '""')}"`);
  const lines = ['handler,plugin,session,duration'];
  for (const h of runs)
    lines.push(`${quoted(h.handler)},${quoted(h.pluginId)},${quoted(h.sessionId)},${h.durationMs ?? ''}`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const path = join(dir, 'percentiles.duckdb');
  const source = `read_csv('${csv.replaceAll("'", "''")}', header = true, columns = {'handler': 'VARCHAR', 'plugin': 'VARCHAR', 'session': 'VARCHAR', 'duration': 'DOUBLE'})`;
  const share = await timed(() =>
    runInDuckDb(
      path,
      `CREATE TABLE runs AS SELECT * FROM ${source};
       CREATE TABLE by_handler AS SELECT plugin, handler, count(*) AS n, quantile_cont(duration, [0.5, 0.95, 0.99]) AS q FROM runs GROUP BY ALL;
       CREATE TABLE by_session AS SELECT plugin, handler, session, quantile_cont(duration, 0.95) AS p95 FROM runs GROUP BY ALL;`,
    ),
  );
  rmSync(path, { force: true });
  rmSync(csv, { force: true });
  return share;
}

/** Every analysis and the whole site over synthetic beat runs (the shape real ingests produce). */
async function benchAnalyze(dir: string): Promise<void> {
  const beats = Number(process.env['BEATSCOPE_BENCH_BEATS'] ?? 1_000_000);
  const { data, store } = await syntheticStore(beats);
  // Collect what building the input left behind, so its collection is not timed as the analysis's.
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const analysis = await analyzeStore(store);
  const tSite = performance.now();
  const bundle = await writeReportBundle(join(dir, 'report'), analysis, 'bench');
  const siteMs = performance.now() - tSite;
  const totalMs = performance.now() - t;
  const { user, system } = process.cpuUsage(cpu);
  const sizes = bundle.files.map((f) => [f.split('/').pop()!, statSync(f).size] as const);
  const peakMiB = process.resourceUsage().maxRSS / 1024; // before the reference below adds DuckDB's memory
  const reference = await percentilesInDuckDb(dir, data.handlerRuns);
  const ms = (n: number) => `${fmt(n)} ms`;
  print(`analyze (${fmt(beats)} beat runs, ${fmt(data.handlerRuns.length)} handler runs)`, [
    ...Object.entries(analysis.timingsMs).map(
      ([step, t]) => [step === 'load' ? 'load from store' : step, ms(t)] as [string, string],
    ),
    ['site + JSON + summary.md', ms(siteMs)],
    ['whole analyze', `${ms(totalMs)} = ${fmt(beats / (totalMs / 1000))} beats/s`],
    [
      'reference (same run)',
      `DuckDB loading the same handler runs from CSV and computing p50/p95/p99 per handler and p95 per handler × session: ${ms(reference.seconds * 1000)}, ${fmt(reference.cpuSeconds, 1)} CPU-s; whole analyze = ${fmt(totalMs / 1000 / reference.seconds, 1)}× that`,
    ],
    // On a shared machine wall time swells with the load; CPU time much less so.
    ['CPU time', `${fmt((user + system) / 1e6, 1)} CPU-s (all threads; what an unloaded run's wall time is near)`],
    ...sizes.map(([name, size]) => [`  ${name}`, `${fmt(size / 1024)} KiB`] as [string, string]),
    ['peak RSS', `${fmt(peakMiB)} MiB (this section's process, before the reference)`],
  ]);
}

/** `beatscope analyze` on a DuckDB store ingested from a generated log: time, beats/s and peak RSS against the input size. */
async function benchAnalyzeFromStore(dir: string): Promise<void> {
  const sizes = (process.env['BEATSCOPE_BENCH_ANALYZE_MB'] ?? '200')
    .split(',')
    .map((m) => Number(m.trim()))
    .filter((m) => m > 0);
  const scale: [string, string][] = [];
  for (const mib of sizes) {
    for (const errorEveryRuns of [0, ANALYZE_ERROR_EVERY_RUNS]) {
      process.stdout.write(
        `generating and ingesting a ${mib} MiB Chrome ISO-style log${errorsText(errorEveryRuns)} …\n`,
      );
      const sizeDir = join(dir, `${mib}-mib-${errorEveryRuns}`);
      mkdirSync(sizeDir);
      try {
        const r = await benchAnalyzeStore(sizeDir, mib, errorEveryRuns);
        printAnalyzeStore(r);
        const { beats, peakRssBytes, timingsMs } = r.result;
        scale.push([
          `${fmt(r.mib)} MiB log${errorsText(errorEveryRuns)}, ${fmt(beats)} beat runs`,
          `${fmt(timingsMs['total']! / 1000, 1)} s, ${fmt(peakRssBytes / MB)} MiB peak RSS`,
        ]);
      } finally {
        rmSync(sizeDir, { recursive: true, force: true });
      }
    }
  }
  // The store a folder of saved consoles makes: many files, a session each.
  const consoles = Number(process.env['BEATSCOPE_BENCH_SMALL_FILES'] ?? 400);
  process.stdout.write(`generating and ingesting ${fmt(consoles)} Chrome ISO-style logs of 256 KiB …\n`);
  const consolesDir = join(dir, 'consoles');
  mkdirSync(consolesDir);
  try {
    const r = await benchAnalyzeStore(consolesDir, consoles / 4, 0, consoles);
    printAnalyzeStore(r);
    scale.push([
      `${fmt(r.mib)} MiB in ${fmt(consoles)} logs, ${fmt(r.result.beats)} beat runs`,
      `${fmt(r.result.timingsMs['total']! / 1000, 1)} s, ${fmt(r.result.peakRssBytes / MB)} MiB peak RSS`,
    ]);
  } finally {
    rmSync(consolesDir, { recursive: true, force: true });
  }
  print('analyze against input size (beatscope analyze on a DuckDB store, analyzing process only)', scale);
}

/** Runs between handler errors in analyze-store's second log of each size: every part of its store is judged. */
const ANALYZE_ERROR_EVERY_RUNS = 500;

const errorsText = (errorEveryRuns: number) =>
  errorEveryRuns === 0 ? '' : ` with a handler error every ${fmt(errorEveryRuns)} runs`;

function printAnalyzeStore(r: AnalyzeStoreBench): void {
  const { timingsMs: t, beats } = r.result;
  const ms = (n: number) => `${fmt(n)} ms`;
  const totalSeconds = t['total']! / 1000;
  print(
    `analyze a DuckDB store (${fmt(r.mib)} MiB ${r.files > 1 ? `in ${fmt(r.files)} logs` : 'log'}${errorsText(r.errorEveryRuns)} → ${fmt(beats)} beat runs; beatscope analyze, in a new process)`,
    [
      [
        'input',
        `${fmt(r.mib)} MiB, ${fmt(r.lines)} lines, ${fmt(r.result.sequenceRuns)} sequence runs, ${fmt(beats)} beat runs`,
      ],
      [
        'ingest (context)',
        `${r.ingestSeconds.toFixed(2)} s = ${fmt(r.mib / r.ingestSeconds, 1)} MB/s; store file ${fmt(r.storeBytes / MB)} MiB`,
      ],
      ...Object.entries(t)
        .filter(([step]) => step !== 'total')
        .map(
          ([step, v]) =>
            [step === 'load' ? 'load from store' : step === 'site' ? 'site + JSON + summary.md' : step, ms(v)] as [
              string,
              string,
            ],
        ),
      [
        'whole analyze',
        `${totalSeconds.toFixed(2)} s = ${fmt(beats / totalSeconds)} beats/s, ${fmt(r.mib / totalSeconds, 1)} MB of log/s`,
      ],
      [
        'peak RSS',
        `${fmt(r.result.peakRssBytes / MB)} MiB = ${fmt(r.result.peakRssBytes / MB / r.mib, 2)} MiB per MiB of log (analyzing process)`,
      ],
    ],
  );
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
  'ingest-split': benchIngestSplit,
  'ingest-files': benchIngestFiles,
  'ingest-small': benchIngestSmallFiles,
  'ingest-small-crlf': (dir) => benchIngestSmallFiles(dir, true),
  store: benchStoreAppend,
  index: benchCodeIndex,
  analyze: benchAnalyze,
  'analyze-store': benchAnalyzeFromStore,
  timeline: benchTimelineFrames,
  accuracy: async () => {
    const trials = Number(process.env['BEATSCOPE_ACCURACY_TRIALS'] ?? 6);
    const sessions = Number(process.env['BEATSCOPE_ACCURACY_SESSIONS'] ?? 6);
    process.stdout.write(`\n== findings accuracy ==\n${await accuracyTable(trials, sessions)}\n`);
  },
  regressions: async () => {
    const sessions = Number(process.env['BEATSCOPE_REGRESSION_SESSIONS'] ?? 20);
    const seed = Number(process.env['BEATSCOPE_REGRESSION_SEED'] ?? 8101);
    process.stdout.write(`\n== compare accuracy ==\n${await regressionAccuracyTable(sessions, seed)}\n`);
  },
  serve: async (dir) => {
    const r = await benchServe(dir);
    print(`serve soak: ${r.posters} posters × ${r.batchLines}-line posts, each awaiting its ack`, [
      [
        'lines acknowledged',
        `${fmt(r.lines)} in ${fmt(r.seconds, 1)} s over ${fmt(r.posts)} posts (store: ${fmt(r.storedLines)} lines)`,
      ],
      ['lines/s by third', r.linesPerSecondByThird.map((v) => fmt(v)).join(' → ')],
      ['ack latency', `p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms, max ${fmt(r.maxMs)} ms (send to durable ack)`],
      ['server peak RSS', `${fmt(r.peakRssBytes / MB)} MiB (VmHWM of the serve process)`],
      ['store size', `${fmt(r.storeBytes / MB, 1)} MiB`],
    ]);
  },
  trends: async () => {
    const sessions = Number(process.env['BEATSCOPE_TRENDS_SESSIONS'] ?? 24);
    process.stdout.write(`\n== trends accuracy ==\n${await trendsAccuracyTable(sessions)}\n`);
  },
  mutants: async (dir) => {
    process.stdout.write(`\n== mutants killed ==\n${await mutantKillTable(dir)}\n`);
  },
};

const USAGE = `usage: [BEATSCOPE_BENCH=section,...] [BEATSCOPE_BENCH_MB=200,1024] npm run bench
sections: ${Object.keys(SECTIONS).join(', ')} (default: all of them, in that order)
other settings: BEATSCOPE_BENCH_BEATS, BEATSCOPE_BENCH_ANALYZE_MB, BEATSCOPE_REGRESSION_SESSIONS,
BEATSCOPE_TRENDS_SESSIONS, BEATSCOPE_SERVE_* (src/bench/main.ts and serve-bench.ts say what each does)
`;

/**
 * Each section runs in a child process of its own, so its peak RSS is its own; with
 * BEATSCOPE_BENCH_CHILD=1 the wanted sections run here.
 */
async function main(): Promise<void> {
  // Sections and sizes are chosen by environment variables only: an argument (even --help) must not start the
  // whole bench, which takes most of an hour.
  const args = process.argv.slice(2);
  if (args.length > 0) {
    const help = args.every((a) => a === '--help' || a === '-h');
    (help ? process.stdout : process.stderr).write(
      `${help ? '' : `beatscope bench: takes no arguments (got ${args.join(' ')})\n`}${USAGE}`,
    );
    process.exitCode = help ? 0 : 2;
    return;
  }
  if (await analyzeStoreChild()) return;
  const wanted = (process.env['BEATSCOPE_BENCH'] ?? Object.keys(SECTIONS).join(',')).split(',').map((w) => w.trim());
  for (const name of wanted) {
    if (!SECTIONS[name])
      throw new Error(`unknown bench section "${name}"; sections: ${Object.keys(SECTIONS).join(', ')}`);
  }
  if (process.env['BEATSCOPE_BENCH_CHILD'] !== '1') {
    for (const name of wanted) {
      const sizes = PER_SIZE.has(name) ? benchSizes() : [benchMb()];
      for (const mb of sizes) {
        // --expose-gc: a section settles the heap after building its input, before it starts timing.
        const child = spawnSync(process.execPath, ['--expose-gc', ...process.argv.slice(1)], {
          stdio: 'inherit',
          env: { ...process.env, BEATSCOPE_BENCH: name, BEATSCOPE_BENCH_CHILD: '1', BEATSCOPE_BENCH_MB: String(mb) },
        });
        if (child.status !== 0) {
          process.exitCode = child.status ?? 1; // the child printed why
          return;
        }
      }
    }
    return;
  }
  for (const name of wanted) {
    const dir = mkdtempSync(join(tmpdir(), `beatscope-bench-${name}-`));
    try {
      await SECTIONS[name]!(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
