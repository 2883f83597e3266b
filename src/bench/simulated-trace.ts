/**
 * One simulated trial for the accuracy benches: the demo app played on the real musical-conductor into a temporary
 * folder (faults and their ground truth as asked), ingested into an in-memory store, read back as trace data with
 * the ingested files (the store is kept, for reading it as `analyze` does); the folder is removed before it returns.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTraceData, type TraceData } from '../analyses/trace-data.js';
import { ingest } from '../ingest/ingest.js';
import type { FileInfo } from '../model/file-info.js';
import type { GroundTruth } from '../simulate/ground-truth.js';
import { type SimulateOptions, simulate } from '../simulate/simulate.js';
import { InMemoryStore } from '../store/in-memory-store.js';

export interface SimulatedTrace {
  readonly truth: GroundTruth;
  readonly data: TraceData;
  readonly files: readonly FileInfo[];
  readonly store: InMemoryStore;
}

export async function simulatedTrace(options: Omit<SimulateOptions, 'outDir'>): Promise<SimulatedTrace> {
  const dir = await mkdtemp(join(tmpdir(), 'beatscope-trial-'));
  try {
    const truth = await simulate({ ...options, outDir: dir });
    const store = new InMemoryStore();
    await ingest([dir], { store, workers: 0 });
    const [data, files] = await Promise.all([loadTraceData(store), store.files()]);
    return { truth, data, files, store };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
