// The plan the parent hands to one session process (over IPC), and what the process reports back.

import type { MountedApp, StaleBeat } from './app-loader.js';
import type { AppliedFault, SessionFaults } from './faults.js';
import type { InjectedError } from './ground-truth.js';

export interface PlannedPlay {
  pluginId: string;
  sequenceId: string;
  payload: Record<string, unknown>;
  /** Virtual user think time before this play, in ms; only applied when the app is idle (previous play settled). */
  thinkMs: number;
  /** Real pause before this play, in ms (bursts: the previous play may still be running). */
  realGapMs: number;
  /** `settle`: wait until every issued play completed and the console went quiet; `none`: fire and go on. */
  wait: 'settle' | 'none';
  injectedError?: InjectedError;
  /** Plays a handler of this sequence starts itself (`ctx.conductor.play`), in order. */
  nested: Array<{ pluginId: string; sequenceId: string }>;
}

export interface SessionPlan {
  appDir: string;
  logFile: string;
  /** App start on the virtual timeline, epoch ms. */
  startEpochMs: number;
  /** Seeds the process's Math.random (the conductor's request ids). */
  seed: number;
  staleBeats: StaleBeat[];
  plays: PlannedPlay[];
  /** Faults to inject in this session (simulate's `faults` option). */
  faults?: SessionFaults;
}

export interface SessionReport extends MountedApp {
  lineCount: number;
  /** Plays whose completion was not seen before the settle timeout (should be 0). */
  unsettled: number;
  /** What each injected fault did, as counted while it happened. */
  faultsApplied: AppliedFault[];
}
