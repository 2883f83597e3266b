/**
 * `beatscope replay`: plays one captured sequence run again on the real musical-conductor, with the app's current
 * code mounted from its repo, and diffs the replay against the capture (diff-runs.ts). The replay runs in a child
 * process (replay-child.ts); its console is ingested with the same importers and model builder as the capture.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingest } from '../ingest/ingest.js';
import { catalogDirs } from '../simulate/app-loader.js';
import { runChildProcess } from '../simulate/fork-child.js';
import { InMemoryStore } from '../store/in-memory-store.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { diffRuns, type ReplayDiff, type Timing } from './diff-runs.js';
import { findCapture, ReplayInputError } from './find-capture.js';
import { inputCandidates } from './inputs.js';
import type { ReplayChildReport, ReplayPlan } from './replay-plan.js';
import { type RunShape, runShape } from './run-shape.js';

export interface ReplayOptions {
  /** The store holding the capture. */
  readonly store: TelemetryStore;
  /** A sequence-run id, request id, sequence id or sequence name matching exactly one captured run. */
  readonly id: string;
  /** The app's repo: `plugins/<name>/json-sequences/index.json` catalogs, `plugin-manifest.json`. */
  readonly codeDir: string;
}

export interface ReconstructedInput {
  readonly value: unknown;
  /** Where the capture showed the value. */
  readonly source: string;
  /** `pluginId.handler` of each handler that read it. */
  readonly readBy: readonly string[];
}

/** What a replay found; `beatscope replay --format json` prints it after `schema` and `version` (json-output.ts). */
export interface ReplayReport {
  readonly runId: string;
  readonly sequence: { readonly id: string | null; readonly name: string; readonly pluginId: string | null };
  readonly match: boolean;
  readonly diffs: readonly ReplayDiff[];
  readonly inputs: {
    readonly reconstructed: Readonly<Record<string, ReconstructedInput>>;
    /** Keys handlers read that the capture does not carry: the replay ran with them undefined. */
    readonly unknown: readonly {
      readonly key: string;
      readonly readBy: readonly string[];
      /** `not-logged`: no preview carries the key; `ambiguous`: previews show it with different values. */
      readonly reason: 'not-logged' | 'ambiguous';
    }[];
  };
  readonly timings: readonly Timing[];
  /** Handler modules or catalogs that failed to load (the rest was mounted), a replay that did not settle. */
  readonly problems: readonly string[];
}

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const appDir = resolve(options.codeDir);
  const run = await findCapture(options.store, options.id);
  if (catalogDirs(appDir).length === 0) {
    throw new ReplayInputError(`no plugin catalog under ${appDir}`, [
      'expected plugins/<name>/package.json and plugins/<name>/json-sequences/index.json',
    ]);
  }
  const captured = await runShape(options.store, run);
  const { candidates, ambiguous } = inputCandidates(captured);
  const work = await mkdtemp(join(tmpdir(), 'beatscope-replay-'));
  try {
    const plan: ReplayPlan = {
      appDir,
      logFile: join(work, 'replay.log'),
      startEpochMs: run.startMs ?? 0,
      seed: 1,
      pluginId: run.pluginId,
      sequenceId: run.sequenceId,
      sequenceName: run.sequenceName,
      candidates,
    };
    const child = await runChildProcess<ReplayChildReport>(
      import.meta.url,
      'replay-child',
      plan,
      `replay of ${run.id}`,
    );
    const replayed = child.played ? await replayedShape(plan.logFile, child.played.sequenceId) : undefined;
    const { diffs, timings } = replayed
      ? diffRuns(captured, replayed)
      : { diffs: [missingSequence(captured)], timings: [] };
    const byKey = new Map<string, string[]>();
    for (const read of child.reads) {
      byKey.set(read.key, [...(byKey.get(read.key) ?? []), `${read.pluginId}.${read.handler}`]);
    }
    const reconstructed: Record<string, ReconstructedInput> = {};
    const unknown: { key: string; readBy: string[]; reason: 'not-logged' | 'ambiguous' }[] = [];
    for (const [key, readBy] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
      const candidate = candidates.find((c) => c.key === key);
      if (candidate) reconstructed[key] = { value: candidate.value, source: candidate.source, readBy };
      else unknown.push({ key, readBy, reason: ambiguous.has(key) ? 'ambiguous' : 'not-logged' });
    }
    const problems = [...child.loadProblems];
    if (child.unsettled) problems.push('the replay did not finish within 15 s; later beats may be missing');
    return {
      runId: run.id,
      sequence: { id: run.sequenceId, name: run.sequenceName, pluginId: run.pluginId },
      match: diffs.length === 0,
      diffs,
      inputs: { reconstructed, unknown },
      timings,
      problems,
    };
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

function missingSequence(captured: RunShape): ReplayDiff {
  return {
    kind: 'sequence-missing',
    beat: null,
    event: null,
    handler: null,
    captured: captured.run.sequenceId ?? captured.run.sequenceName,
    replayed: null,
  };
}
