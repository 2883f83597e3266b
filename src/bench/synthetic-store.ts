/**
 * A synthetic trace (reports/timeline-bench.ts `syntheticTrace`) committed as one file of an in-memory store:
 * what the analyze bench reads, and what the test of its store window uses.
 */
import type { TraceData } from '../analyses/trace-data.js';
import type { TraceEntity } from '../model/index.js';
import { syntheticTrace } from '../reports/timeline-bench.js';
import { InMemoryStore } from '../store/in-memory-store.js';

export interface SyntheticStore {
  readonly data: TraceData;
  /** Every entity of `data`, in the order appended to the store. */
  readonly entities: readonly TraceEntity[];
  readonly store: InMemoryStore;
}

export async function syntheticStore(beats: number): Promise<SyntheticStore> {
  const data = syntheticTrace(beats);
  const entities: TraceEntity[] = [...data.sessions, ...data.runs, ...data.beats, ...data.handlerRuns, ...data.errors];
  const store = new InMemoryStore();
  const writer = await store.beginFile('bench');
  await writer.append(entities);
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
  return { data, entities, store };
}
