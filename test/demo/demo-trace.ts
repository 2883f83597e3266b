/**
 * Logs made by the real musical-conductor for analysis and report tests: the demo simulator plays a few sessions
 * of the bundled demo app, the logs are ingested into an in-memory store and the app is indexed. Takes seconds,
 * so each test file calls it once in `beforeAll`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceData } from '../../src/analyses/trace-data.js';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { indexCodebase } from '../../src/codebase/index.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { CodeIndex } from '../../src/model/code-index.js';
import type { FileInfo } from '../../src/model/file-info.js';
import type { StoreSummary } from '../../src/model/index.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';
import type { GroundTruth } from '../../src/simulate/ground-truth.js';
import { simulate } from '../../src/simulate/simulate.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

export interface DemoTrace {
  readonly dir: string;
  readonly truth: GroundTruth;
  readonly data: TraceData;
  readonly code: CodeIndex;
  /** What `beatscope summary` prints for these logs. */
  readonly summary: StoreSummary;
  /** The ingested log files (paths inside `dir`). */
  readonly files: readonly FileInfo[];
  readonly cleanup: () => Promise<void>;
}

export async function demoTrace(options: { sessions?: number; seed?: number } = {}): Promise<DemoTrace> {
  const dir = await mkdtemp(join(tmpdir(), 'beatscope-demo-'));
  const truth = await simulate({
    appDir: demoAppDir(),
    outDir: dir,
    sessions: options.sessions ?? 2,
    seed: options.seed ?? 7,
  });
  const store = new InMemoryStore();
  await ingest([dir], { store, workers: 0 });
  const data = await loadTraceData(store);
  const summary = await store.summary();
  const files = await store.files();
  await store.close();
  const { index: code } = await indexCodebase(demoAppDir());
  return { dir, truth, data, code, summary, files, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
