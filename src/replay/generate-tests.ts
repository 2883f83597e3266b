/**
 * `beatscope tests generate`: one Vitest file per sequence, one test per distinct production path (pathOf), most
 * frequent first, each naming how many production runs it stands for. A value a preview showed is asserted
 * literally only when every observation of the path showed the same value and a play at generation time
 * reproduced it; otherwise it is matched by shape (ids, timestamps, counters). A path the current code does not
 * reproduce from the logged inputs gets a test that fails loudly with what to fill in.
 */
import type { SequenceRun } from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { inputCandidates } from './inputs.js';
import { type PathBeat, pathKey, pathOf, previewValues } from './path-signature.js';
import { playSequence } from './play-sequence.js';
import type { StubbedHandler } from './replay-plan.js';
import { type RunShape, runShape } from './run-shape.js';

export interface GenerateOptions {
  readonly store: TelemetryStore;
  /** The app's repo (absolute). */
  readonly appDir: string;
  /** Only these sequence ids; all captured sequences when empty. */
  readonly sequences?: readonly string[];
  /** At most this many paths (tests) per sequence, most frequent first. */
  readonly maxPerSequence?: number;
}

/** An asserted preview value: literal, or its shape when observations (or the generation play) disagree. */
export type ExpectedValue = { readonly literal: unknown } | { readonly shape: string };

export interface GeneratedPath {
  /** The production path, with no DataBaton changes for stubbed handlers (a no-op makes none). */
  readonly path: readonly PathBeat[];
  /** Handlers the generation play ran as no-ops (they fail on what the DOM lacks); the test expects the same. */
  readonly stubbed: readonly StubbedHandler[];
  /** Production runs with this path, in store order. */
  readonly runIds: readonly string[];
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Keys handlers read that the logs do not carry, with who read them. */
  readonly unknownInputs: readonly { readonly key: string; readonly readBy: readonly string[] }[];
  readonly values: Readonly<Record<string, Record<string, ExpectedValue>>>;
  /** Why the current code did not reproduce the path from the logged inputs; null when it did. */
  readonly notReproduced: string | null;
}

export interface GeneratedSequence {
  readonly sequenceId: string;
  readonly sequenceName: string;
  readonly pluginId: string;
  /** Log files the runs came from (stored paths), sorted. */
  readonly files: readonly string[];
  readonly totalRuns: number;
  readonly paths: readonly GeneratedPath[];
}

export async function generateTests(options: GenerateOptions): Promise<GeneratedSequence[]> {
  const runs = (await options.store.entities('sequence-run')).filter(
    (r): r is SequenceRun & { sequenceId: string; pluginId: string } =>
      r.sequenceId !== null &&
      r.pluginId !== null &&
      (options.sequences === undefined || options.sequences.length === 0 || options.sequences.includes(r.sequenceId)),
  );
  const files = new Map((await options.store.files()).map((f) => [f.fileId, f.path]));
  const bySequence = new Map<string, typeof runs>();
  for (const run of runs) bySequence.set(run.sequenceId, [...(bySequence.get(run.sequenceId) ?? []), run]);

  const out: GeneratedSequence[] = [];
  for (const [sequenceId, seqRuns] of [...bySequence].sort(([a], [b]) => a.localeCompare(b))) {
    const shapes = await Promise.all(seqRuns.map((r) => runShape(options.store, r)));
    const groups = new Map<string, RunShape[]>();
    for (const shape of shapes) {
      const key = pathKey(pathOf(shape));
      groups.set(key, [...(groups.get(key) ?? []), shape]);
    }
    const ordered = [...groups.values()]
      .sort((a, b) => b.length - a.length || pathKey(pathOf(a[0]!)).localeCompare(pathKey(pathOf(b[0]!))))
      .slice(0, options.maxPerSequence ?? Number.POSITIVE_INFINITY);
    const paths: GeneratedPath[] = [];
    for (const group of ordered) paths.push(await generatePath(options.appDir, group));
    const first = seqRuns[0]!;
    out.push({
      sequenceId,
      sequenceName: first.sequenceName,
      pluginId: first.pluginId,
      files: [...new Set(seqRuns.map((r) => files.get(r.span.fileId) ?? r.span.fileId))].sort(),
      totalRuns: seqRuns.length,
      paths,
    });
  }
  return out;
}

async function generatePath(appDir: string, group: readonly RunShape[]): Promise<GeneratedPath> {
  const representative = group[0]!;
  const run = representative.run;
  const { candidates } = inputCandidates(representative);
  const { child, shape, stubbed } = await playSequence(
    {
      appDir,
      startEpochMs: Date.UTC(2000, 0, 1),
      pluginId: run.pluginId,
      sequenceId: run.sequenceId,
      sequenceName: run.sequenceName,
      candidates,
    },
    `generation play of ${run.id}`,
  );
  const path = withoutChanges(pathOf(representative), new Set(stubbed.map((s) => s.handler)));
  const readBy = new Map<string, string[]>();
  for (const read of child.reads) {
    readBy.set(read.key, [...(readBy.get(read.key) ?? []), `${read.pluginId}.${read.handler}`]);
  }
  const inputs: Record<string, unknown> = {};
  const unknownInputs: GeneratedPath['unknownInputs'][number][] = [];
  for (const [key, by] of [...readBy].sort(([a], [b]) => a.localeCompare(b))) {
    const candidate = candidates.find((c) => c.key === key);
    if (candidate) inputs[key] = candidate.value;
    else unknownInputs.push({ key, readBy: by });
  }
  const reproduced = shape !== undefined && pathKey(pathOf(shape)) === pathKey(path);
  return {
    path,
    runIds: group.map((s) => s.run.id),
    stubbed,
    inputs,
    unknownInputs,
    values: expectedValues(
      group.map((s) => previewValues(s)),
      shape ? previewValues(shape) : {},
    ),
    notReproduced: reproduced ? null : whyNot(path, shape ? pathOf(shape) : undefined),
  };
}

/** The path with the named handlers' DataBaton changes and errors dropped: what their no-op stubs produce. */
function withoutChanges(path: readonly PathBeat[], stubbed: ReadonlySet<string>): PathBeat[] {
  return path.map((beat) => ({
    event: beat.event,
    handlers: beat.handlers.map((h) =>
      stubbed.has(h.handler) ? { handler: h.handler, added: [], updated: [], removed: [], error: null } : h,
    ),
  }));
}

/** Values every observation showed under the same slot and key; literal only when all agree with the play. */
function expectedValues(
  observations: readonly Record<string, Record<string, unknown>>[],
  played: Record<string, Record<string, unknown>>,
): Record<string, Record<string, ExpectedValue>> {
  const out: Record<string, Record<string, ExpectedValue>> = {};
  const first = observations[0] ?? {};
  for (const slot of Object.keys(first).sort()) {
    for (const key of Object.keys(first[slot]!).sort()) {
      const seen = observations.map((o) => o[slot]?.[key]);
      const replayed = played[slot]?.[key];
      if (seen.some((v) => v === undefined) || replayed === undefined) continue;
      const text = JSON.stringify(seen[0]);
      const stable = seen.every((v) => JSON.stringify(v) === text) && JSON.stringify(replayed) === text;
      const shapes = new Set([...seen, replayed].map(shapeOf));
      if (!stable && shapes.size > 1) continue; // not even the kind of value is stable
      out[slot] = { ...out[slot], [key]: stable ? { literal: seen[0] } : { shape: shapeOf(seen[0]) } };
    }
  }
  return out;
}

export function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'number':
      return 'Number';
    case 'boolean':
      return 'Boolean';
    default:
      return 'Object';
  }
}

function whyNot(expected: readonly PathBeat[], played: readonly PathBeat[] | undefined): string {
  if (!played || played.length === 0) return 'the sequence did not run on the current code';
  const events = (p: readonly PathBeat[]) => p.map((b) => b.event).join(' → ');
  if (events(expected) !== events(played)) return `the current code runs ${events(played)}`;
  const i = expected.findIndex((b, n) => JSON.stringify(b) !== JSON.stringify(played[n]));
  return `beat ${i + 1} (${expected[i]!.event}) ran ${JSON.stringify(played[i]!.handlers)}`;
}
