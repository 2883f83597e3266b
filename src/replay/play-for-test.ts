/**
 * What a file written by `beatscope tests generate` calls: plays one sequence of the app on the real
 * musical-conductor (a child process per play) with the given inputs served to handlers that read them, and
 * returns the path and preview values to assert. Handlers run under happy-dom like in `replay`; one that needs
 * what happy-dom lacks runs as a no-op and is named in `stubbed`. Exported as `beatscope/testing` (light: no
 * store, no reports) and from the package root.
 */
import { resolve } from 'node:path';
import { type PathBeat, pathOf, previewValues } from './path-signature.js';
import { playSequence } from './play-sequence.js';

export interface PlayForTestOptions {
  readonly pluginId: string;
  readonly sequenceId: string;
  /** Input key → value, served to a handler that reads the key from its event data. */
  readonly inputs?: Readonly<Record<string, unknown>>;
}

export interface PlayForTestResult {
  /** Empty when the sequence is not mounted or did not start. */
  readonly path: readonly PathBeat[];
  readonly values: Readonly<Record<string, Record<string, unknown>>>;
  readonly status: string | null;
  /**
   * `plugin.handler` of each handler the play ran as a no-op because it fails on a browser API happy-dom lacks
   * (a canvas 2D context …); its DataBaton changes are not in `path`.
   */
  readonly stubbed: readonly string[];
  /** Modules that failed to load, a play that did not settle. */
  readonly problems: readonly string[];
}

export async function playForTest(appDir: string, options: PlayForTestOptions): Promise<PlayForTestResult> {
  const { child, shape, stubbed } = await playSequence(
    {
      appDir: resolve(appDir),
      startEpochMs: Date.UTC(2000, 0, 1), // any fixed start: ids and times of a test play are never asserted
      pluginId: options.pluginId,
      sequenceId: options.sequenceId,
      sequenceName: options.sequenceId,
      candidates: Object.entries(options.inputs ?? {}).map(([key, value]) => ({ key, value, source: 'test input' })),
    },
    `play of ${options.sequenceId}`,
  );
  const problems = [...child.loadProblems];
  if (child.unsettled) problems.push('the play did not finish within 15 s');
  return {
    path: shape ? pathOf(shape) : [],
    values: shape ? previewValues(shape) : {},
    status: shape?.run.status ?? null,
    stubbed: stubbed.map((s) => `${s.plugin}.${s.handler}`),
    problems,
  };
}
