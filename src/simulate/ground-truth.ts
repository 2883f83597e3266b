// What the simulator did, written next to the logs so tests and reports can check a reconstruction against it.

import type { Fault } from './faults.js';

/** One beat as the mounted (running) sequence defines it. `beat` is the 1-based number from the JSON. */
export interface ExpectedBeat {
  beat: number;
  event: string;
  handler: string;
}

export interface HandlerRef {
  pluginId: string;
  handler: string;
}

export interface InjectedError {
  handler: string;
  /** The exact `Error.message` the handler throws for this payload. */
  message: string;
}

/** One executed sequence play, in issue order within its session. */
export interface PlayTruth {
  pluginId: string;
  sequenceId: string;
  sequenceName: string;
  expectedBeats: ExpectedBeat[];
  injectedError?: InjectedError;
  /** Set when a handler of another play started this one (`ctx.conductor.play`): that play's sequence id. */
  triggeredBy?: string;
}

export interface SessionTruth {
  /** Log file name inside outDir, `localhost-<epochMs>.log`. */
  file: string;
  /** ISO time of the app start (virtual clock). */
  startTime: string;
  plays: PlayTruth[];
}

export interface GroundTruth {
  version: 1;
  seed: number;
  sessions: SessionTruth[];
  /** The one handler that is slow on purpose; it must top a per-handler duration ranking. */
  slowHandler: HandlerRef & { approxMs: number };
  /** Handlers that threw during this run, with how many times. */
  failingHandlers: Array<HandlerRef & { occurrences: number }>;
  /** Beat handlers no spec names in `it('<handler> - …')` within the plugin's `__tests__`. */
  untestedHandlers: HandlerRef[];
  /** Sequences defined (JSON or inline TS) and mounted, but never played in any session. */
  neverPlayedSequences: Array<{ pluginId: string; sequenceId: string }>;
  /** Beats in the JSON on disk that the running build lacks (an older variant was mounted). */
  drift: Array<{ sequenceId: string; missingInRuns: ExpectedBeat[] }>;
  /** Injected faults, when simulate() was given a `faults` option. */
  faults?: FaultTruth;
}

/** One injected fault and what it did (counted by the session process as it happened). */
export type InjectedFault = Fault & {
  /** Stable within the run: `latency-0`, `error-1` … (kind + index in `faults`). */
  id: string;
  /** Executions of the handler inside the fault's window (error: in its sessions). */
  executions: number;
  /** Executions it slowed (latency) or made throw (error, burst). */
  affected: number;
  /** ISO times of the first and last affected execution (virtual clock); null when none was. */
  firstTime: string | null;
  lastTime: string | null;
  /** Log files (names inside outDir) of the sessions it affected. */
  files: string[];
};

export interface FaultTruth {
  /** Bumped when a field changes meaning. */
  version: 1;
  seed: number;
  /** Sessions (0-based) with no injected fault. */
  faultFreeSessions: number[];
  faults: InjectedFault[];
}
