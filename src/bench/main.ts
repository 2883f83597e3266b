/**
 * `npm run bench`: throughput and memory of the ingest pipeline, end to end into the DuckDB store,
 * against a baseline measured in the same run on the same file (`wc -l`). Not a test: it prints numbers.
 * Size: BEATSCOPE_BENCH_MB (default 1024).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../ingest/ingest.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { generateChromeLog } from './generate-log.js';

const MB = 1024 * 1024;

function seconds<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}

async function benchIngest(dir: string): Promise<void> {
  const targetMb = Number(process.env.BEATSCOPE_BENCH_MB ?? 1024);
  const file = join(dir, 'bench-chrome-iso.log');
  process.stdout.write(`generating a ${targetMb} MiB Chrome ISO-style log …\n`);
  const { bytes, lines } = await generateChromeLog(file, targetMb * MB);
  const [, wcSeconds] = seconds(() => execFileSync('wc', ['-l', file]));
  const store = await DuckDbStore.open(join(dir, 'bench.duckdb'));
  const t = performance.now();
  const report = await ingest([file], { store });
  const ingestSeconds = (performance.now() - t) / 1000;
  const summary = await store.summary();
  await store.close();
  const outcome = report.outcomes[0];
  if (outcome?.status !== 'ingested') throw new Error(`bench ingest did not ingest: ${JSON.stringify(outcome)}`);
  const mbps = bytes / MB / ingestSeconds;
  const lps = lines / ingestSeconds;
  const rows: [string, string][] = [
    ['file', `${(bytes / MB).toFixed(0)} MiB, ${lines.toLocaleString('en-US')} lines`],
    [
      'reconstructed',
      `${summary.sequenceRuns.toLocaleString('en-US')} sequence runs, ${summary.beatRuns.toLocaleString('en-US')} beat runs`,
    ],
    [
      'ingest (end to end)',
      `${ingestSeconds.toFixed(2)} s = ${mbps.toFixed(1)} MB/s, ${(lps / 1e6).toFixed(2)} M lines/s`,
    ],
    ['baseline wc -l', `${wcSeconds.toFixed(2)} s = ${(bytes / MB / wcSeconds).toFixed(0)} MB/s`],
    ['ratio ingest / wc -l', `${(ingestSeconds / wcSeconds).toFixed(1)}x the time of wc -l`],
    ['peak RSS', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n== ingest ==\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-bench-'));
  try {
    await benchIngest(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
