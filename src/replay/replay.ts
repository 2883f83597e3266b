/**
 * `beatscope replay`: plays one captured sequence run again on the real musical-conductor, with the app's current
 * code mounted from its repo, and diffs the replay against the capture (diff-runs.ts). The replay runs in a child
 * process (replay-child.ts); its console is ingested with the same importers and model builder as the capture.
 */
import { resolve } from 'node:path';
import { catalogDirs } from '../simulate/app-loader.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { diffRuns, type ReplayDiff, type Timing } from './diff-runs.js';
import { findCapture, ReplayInputError } from './find-capture.js';
import { inputCandidates } from './inputs.js';
import { playSequence } from './play-sequence.js';
import type { StubbedHandler } from './replay-plan.js';
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
  /**
   * Handlers replayed as no-ops because they fail on a browser API the DOM implementation lacks; their captured
   * DataBaton changes are not replayed, and their diffs carry `stubbed: true` and do not count against `match`.
   */
  readonly stubbed: readonly StubbedHandler[];
  /** Handler modules or catalogs that failed to load (the rest was mounted), a replay that did not settle. */
  readonly problems: readonly string[];
}

export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const appDir = resolve(options.codeDir);
  const run = await findCapture(options.store, options.id);
  if (catalogDirs(appDir).length === 0) {
    throw new ReplayInputError(
      `no plugin catalog under ${appDir}`,
      [],
      'expected plugins/<name>/package.json and plugins/<name>/json-sequences/index.json with the handler modules',
    );
  }
  const captured = await runShape(options.store, run);
  const { candidates, ambiguous } = inputCandidates(captured);
  const {
    child,
    shape: replayed,
    stubbed,
  } = await playSequence(
    {
      appDir,
      startEpochMs: run.startMs ?? 0,
      pluginId: run.pluginId,
      sequenceId: run.sequenceId,
      sequenceName: run.sequenceName,
      candidates,
    },
    `replay of ${run.id}`,
  );
  const compared = replayed ? diffRuns(captured, replayed) : { diffs: [missingSequence(captured)], timings: [] };
  const stubs = new Set(stubbed.map((s) => `${s.plugin}.${s.handler}`));
  // A diff names its handler, not its plugin: the plugin is the one that handler ran under in that beat.
  const pluginOf = new Map<string, string | null>();
  for (const shape of [captured, replayed]) {
    for (const b of shape?.beats ?? [])
      for (const h of b.handlers) pluginOf.set(`${b.event}\n${h.handler}`, h.pluginId);
  }
  const diffs = compared.diffs.map((d) =>
    d.handler !== null && stubs.has(`${pluginOf.get(`${d.event}\n${d.handler}`) ?? '?'}.${d.handler}`)
      ? { ...d, stubbed: true as const }
      : d,
  );
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
  for (const f of child.browserFailures) {
    problems.push(`${f.plugin}.${f.handler} still fails on a browser API after stubbing others: ${f.reason}`);
  }
  if (child.unsettled) problems.push('the replay did not finish within 15 s; later beats may be missing');
  return {
    runId: run.id,
    sequence: { id: run.sequenceId, name: run.sequenceName, pluginId: run.pluginId },
    match: diffs.every((d) => d.stubbed === true),
    diffs,
    inputs: { reconstructed, unknown },
    timings: compared.timings,
    stubbed,
    problems,
  };
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
