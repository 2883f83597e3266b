/**
 * One play of one sequence on the app's current code, in a child process (replay-child.ts), read back as a
 * RunShape by the same importers and model builder as a capture. Shared by `replay` and generated tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../ingest/ingest.js';
import { runChildProcess } from '../simulate/fork-child.js';
import { InMemoryStore } from '../store/in-memory-store.js';
import type { ReplayChildReport, ReplayPlan } from './replay-plan.js';
import { type RunShape, runShape } from './run-shape.js';

export interface PlayResult {
  readonly child: ReplayChildReport;
  /** The played sequence's run, or undefined when the code has no such sequence or it never started. */
  readonly shape: RunShape | undefined;
}

export async function playSequence(plan: Omit<ReplayPlan, 'logFile' | 'seed'>, label: string): Promise<PlayResult> {
  const work = await mkdtemp(join(tmpdir(), 'beatscope-replay-'));
  try {
    const full: ReplayPlan = { ...plan, logFile: join(work, 'replay.log'), seed: 1 };
    const child = await runChildProcess<ReplayChildReport>(import.meta.url, 'replay-child', full, label);
    const shape = child.played ? await replayedShape(full.logFile, child.played.sequenceId) : undefined;
    return { child, shape };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The replay's console, read like any capture; the replayed run is the first run of the played sequence. */
async function replayedShape(logFile: string, sequenceId: string): Promise<RunShape | undefined> {
  const store = new InMemoryStore();
  await ingest([logFile], { store, workers: 1 });
  const run = (await store.entities('sequence-run')).find((r) => r.sequenceId === sequenceId);
  return run ? runShape(store, run) : undefined;
}
