/**
 * `BEATSCOPE_BENCH=serve`: a short soak of the built `beatscope serve` binary on loopback. Posters (one
 * simulated session each, made by the real conductor) post fixed batches of lines, each waiting for its answer
 * (the durable ack: spooled, fsync'ed and committed to the store) before sending the next, for a fixed time.
 * Measured: lines/s per third of the soak (is the rate held as the spool files grow?), ack latency p50/p99 per
 * post (ms, send to answer), the server's peak RSS (VmHWM of its process, MiB) and its store size.
 *   BEATSCOPE_SERVE_POSTERS  concurrent posters (default 4)
 *   BEATSCOPE_SERVE_BATCH    lines per post (default 100)
 *   BEATSCOPE_SERVE_SECONDS  soak length, s (default 30)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulate } from '../simulate/simulate.js';

export interface ServeBenchResult {
  readonly posters: number;
  readonly batchLines: number;
  readonly seconds: number;
  readonly lines: number;
  /** Lines acknowledged per second in each third of the soak. */
  readonly linesPerSecondByThird: readonly number[];
  readonly posts: number;
  /** Ack latency, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The server process's peak resident set, bytes. */
  readonly peakRssBytes: number;
  readonly storeBytes: number;
  readonly storedLines: number;
}

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');

export async function benchServe(dir: string): Promise<ServeBenchResult> {
  const posters = Number(process.env['BEATSCOPE_SERVE_POSTERS'] ?? 4);
  const batchLines = Number(process.env['BEATSCOPE_SERVE_BATCH'] ?? 100);
  const seconds = Number(process.env['BEATSCOPE_SERVE_SECONDS'] ?? 30);
  await simulate({ outDir: join(dir, 'sim'), sessions: posters, seed: 3 });
  const consoles = readdirSync(join(dir, 'sim'))
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) =>
      readFileSync(join(dir, 'sim', f), 'utf8')
        .split('\n')
        .slice(0, -1),
    );
  const batches = consoles.map((lines) =>
    Array.from(
      { length: Math.ceil(lines.length / batchLines) },
      (_, i) => `${lines.slice(i * batchLines, (i + 1) * batchLines).join('\n')}\n`,
    ),
  );

  const db = join(dir, 'serve.duckdb');
  const { child, base } = await start(['--db', db, '--port', '0']);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const acks: { atMs: number; lines: number; latencyMs: number }[] = [];
  await Promise.all(
    batches.map(async (own, k) => {
      // A poster goes round its session again and again (the spool file keeps growing).
      for (let i = 0; performance.now() < end; i = (i + 1) % own.length) {
        const body = own[i]!;
        const sent = performance.now();
        const r = await fetch(`${base}v1/lines?source=poster${k}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain' },
        });
        if (r.status !== 200) throw new Error(`serve answered ${r.status}: ${await r.text()}`);
        const { lines } = (await r.json()) as { lines: number };
        const now = performance.now();
        acks.push({ atMs: now - t0, lines, latencyMs: now - sent });
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  const peakRssBytes = vmHwmBytes(child.pid!);
  const summary = (await (await fetch(`${base}api/summary`)).json()) as { lines: number };
  const exited = new Promise((ok) => child.on('exit', ok));
  child.kill('SIGTERM');
  await exited;

  const third = elapsedMs / 3;
  const linesPerSecondByThird = [0, 1, 2].map(
    (t) =>
      acks.filter((a) => a.atMs >= t * third && a.atMs < (t + 1) * third).reduce((s, a) => s + a.lines, 0) /
      (third / 1000),
  );
  const latencies = acks.map((a) => a.latencyMs).sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    posters,
    batchLines,
    seconds: elapsedMs / 1000,
    lines: acks.reduce((s, a) => s + a.lines, 0),
    linesPerSecondByThird,
    posts: acks.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies.at(-1) ?? 0,
    peakRssBytes,
    storeBytes: statSync(db).size,
    storedLines: summary.lines,
  };
}

/** Peak resident set of a live process (Linux `/proc/<pid>/status` VmHWM), bytes; 0 where there is none. */
function vmHwmBytes(pid: number): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

function start(args: string[]): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /^beatscope serve: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) ok({ child, base: url });
    });
    child.on('exit', (code) => fail(new Error(`serve exited ${code} before it listened`)));
  });
}
