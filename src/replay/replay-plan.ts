// What the replay parent hands its child process (over IPC), and what the child reports back.

import type { MountedSequence } from '../simulate/app-loader.js';

/** A value the capture's DataBaton previews carry under a key name; served to handlers that read that key. */
export interface InputCandidate {
  readonly key: string;
  readonly value: unknown;
  /** Where the capture showed it: `+cssEvent.className (createCssClass, canvas:x:y)`. */
  readonly source: string;
}

export interface ReplayPlan {
  readonly appDir: string;
  /** Where the child writes the replay's console (Chrome saved-console shape, like the simulator's logs). */
  readonly logFile: string;
  /** Virtual clock start, epoch ms: the captured run's start, so both runs' times read alike. */
  readonly startEpochMs: number;
  /** Seeds Math.random (the conductor's request ids). */
  readonly seed: number;
  readonly pluginId: string | null;
  readonly sequenceId: string | null;
  readonly sequenceName: string;
  readonly candidates: readonly InputCandidate[];
  /** Handlers replaced by a no-op in this play: an earlier play showed they fail on what the DOM lacks. */
  readonly stubs?: readonly StubbedHandler[];
}

/** A handler replay ran as a no-op, and why: it fails on a browser API the DOM implementation lacks. */
export interface StubbedHandler {
  readonly plugin: string;
  readonly handler: string;
  readonly reason: string;
}

/** One key a handler of the replayed sequence read from its event data that the play payload did not have. */
export interface InputRead {
  readonly key: string;
  readonly pluginId: string;
  readonly handler: string;
  /** Served from a candidate (true) or left undefined (false: the capture does not carry it). */
  readonly reconstructed: boolean;
}

export interface ReplayChildReport {
  readonly mounted: readonly MountedSequence[];
  /** Modules or catalogs that failed to load; the rest was mounted. */
  readonly loadProblems: readonly string[];
  /** The sequence played, or null when the code has no such sequence (nothing was played). */
  readonly played: { readonly pluginId: string; readonly sequenceId: string } | null;
  readonly reads: readonly InputRead[];
  /** Handlers that failed on a browser API the DOM lacks in this play (not yet stubbed), in first-failure order. */
  readonly browserFailures: readonly StubbedHandler[];
  /** True when the play did not finish and go quiet within the settle timeout. */
  readonly unsettled: boolean;
}
