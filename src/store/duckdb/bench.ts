/**
 * Append throughput of the DuckDB store, for `npm run bench`: one file of `count` beat-run-like
 * entities appended in batches of 10,000 (the pipeline's batch size) and committed. Generating the
 * entities is not timed; appending and committing (the flush to disk) are.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BeatRun } from '../../model/index.js';
import { DuckDbStore } from './duckdb-store.js';

export interface BenchOptions {
  /** Entities to append; default 1,000,000. */
  readonly count?: number;
  readonly batchSize?: number;
  /** Database file; default a fresh file in a temporary directory, removed afterwards. */
  readonly path?: string;
}

const FILE_ID = '0123456789abcdef';

function beatRun(i: number): BeatRun {
  const sequenceRunId = `${FILE_ID}:s0:seq${Math.floor(i / 12)}`;
  const startMs = 1_717_000_000_000 + i * 3;
  return {
    kind: 'beat-run',
    id: `${sequenceRunId}:m${(i >> 2) % 3}:b${i % 4}`,
    sequenceRunId,
    movementRunId: `${sequenceRunId}:m${(i >> 2) % 3}`,
    sessionId: `${FILE_ID}:s0`,
    sequenceName: i % 2 === 0 ? 'Library Load' : 'Canvas Drop',
    beat: (i % 4) + 1,
    position: (i % 4) + 1,
    event: `library:event${i % 8}`,
    title: `Beat ${i % 4}`,
    handlers: i % 3 === 0 ? ['loadComponents', 'notifyUi'] : ['renderList'],
    pluginId: 'LibraryPlugin',
    status: i % 50 === 0 ? 'failed' : 'completed',
    startMs,
    endMs: startMs + 2,
    durationMs: 1.25 + (i % 7),
    durationSource: 'performance-tracker',
    error: i % 50 === 0 ? 'boom' : null,
    batonUnchanged: 0,
    batonSettledMs: null,
    span: { fileId: FILE_ID, startLine: i * 4 + 1, endLine: i * 4 + 4 },
  };
}

/** Returns entities appended per second (append + commit). */
export async function benchStore(options: BenchOptions = {}): Promise<number> {
  const count = options.count ?? 1_000_000;
  const batchSize = options.batchSize ?? 10_000;
  const batches: BeatRun[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    batches.push(Array.from({ length: Math.min(batchSize, count - start) }, (_, k) => beatRun(start + k)));
  }
  const dir = options.path === undefined ? await mkdtemp(join(tmpdir(), 'beatscope-bench-')) : undefined;
  const store = await DuckDbStore.open(options.path ?? join(dir!, 'bench.duckdb'));
  try {
    const started = performance.now();
    const writer = await store.beginFile(FILE_ID);
    for (const batch of batches) await writer.append(batch);
    await writer.commit({
      fileId: FILE_ID,
      path: '/bench.log',
      sizeBytes: count * 400,
      mtimeMs: 0,
      format: 'bench',
      encoding: 'utf-8',
      gzip: false,
      lines: count * 4,
      linesRecognized: count * 4,
      linesUnknown: 0,
      diagnostics: [],
    });
    return count / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}
