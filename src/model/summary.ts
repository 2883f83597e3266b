/** Counts over everything in a store: the `beatscope summary --json` object. */
export interface StoreSummary {
  readonly files: number;
  readonly lines: number;
  readonly linesRecognized: number;
  readonly linesUnknown: number;
  readonly sessions: number;
  readonly pluginMountAttempts: number;
  readonly pluginMountsSucceeded: number;
  readonly pluginMountsFailed: number;
  readonly sequencesRegistered: number;
  readonly subscriptions: number;
  readonly sequenceRuns: number;
  readonly sequenceRunsCompleted: number;
  readonly sequenceRunsFailed: number;
  readonly movementRunsCompleted: number;
  readonly beatRuns: number;
  readonly beatRunsCompleted: number;
  readonly beatRunsFailed: number;
  /** Handler runs: one per handler settle line (or EventBus subscriber timing) linked to its beat or not. */
  readonly handlerRuns: number;
  readonly handlerErrors: number;
  /** DataBaton lines: baton diffs plus the beat-level `No changes` lines folded into beats (`batonUnchanged`). */
  readonly batonDiffs: number;
  /** Sorted distinct handler names seen running. */
  readonly handlersSeen: readonly string[];
  /** Sorted distinct names of sequences that ran. */
  readonly sequencesSeen: readonly string[];
  readonly gaps: number;
  /** Sum over sessions of (last timestamp − first timestamp), ms. */
  readonly timeSpanMs: number;
  readonly diagnostics: number;
}
