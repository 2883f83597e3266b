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
import type { ReplayChildReport, ReplayPlan, StubbedHandler } from './replay-plan.js';
import { type RunShape, runShape } from './run-shape.js';

export interface PlayResult {
  readonly child: ReplayChildReport;
  /** The played sequence's run, or undefined when the code has no such sequence or it never started. */
  readonly shape: RunShape | undefined;
  /** Handlers the final play ran as no-ops because they fail on what the DOM lacks (first failure first). */
  readonly stubbed: readonly StubbedHandler[];
}

/**
 * Plays at most this many times: each play after the first stubs the handlers the previous ones saw fail on a
 * missing browser API (a stub can let a later handler run into another one).
 */
const MAX_PLAYS = 4;

export async function playSequence(
  plan: Omit<ReplayPlan, 'logFile' | 'seed' | 'stubs'>,
  label: string,
): Promise<PlayResult> {
  const work = await mkdtemp(join(tmpdir(), 'beatscope-replay-'));
  try {
    const stubs: StubbedHandler[] = [];
    for (let play = 1; ; play++) {
      const full: ReplayPlan = { ...plan, logFile: join(work, `replay-${play}.log`), seed: 1, stubs };
      const child = await runChildProcess<ReplayChildReport>(import.meta.url, 'replay-child', full, label);
      if (child.browserFailures.length > 0 && play < MAX_PLAYS) {
        stubs.push(...child.browserFailures);
        continue;
      }
      const shape = child.played ? await replayedShape(full.logFile, child.played.sequenceId) : undefined;
      return { child, shape, stubbed: stubs };
    }
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
