// Fault injection for the simulator: what a `faults` option asks for, and the per-session plan the session process
// applies by wrapping the demo app's handlers (fault-wrapper.ts). Handler times stay the real conductor's: a
// latency fault makes the handler really take longer (busy wait or await), never edits a log line.

/** A handler of a plugin, as the conductor names it (`<pluginId>.<handler>`). */
export interface FaultTarget {
  pluginId: string;
  handler: string;
}

/** Plays `fromPlay..toPlay` (0-based, inclusive, in the session's issue order) of session `session` (0-based). */
export interface PlayWindow {
  session: number;
  fromPlay: number;
  toPlay: number;
}

/**
 * Each execution of the handler in the window takes `factor` × as long: after it returns (or settles) it waits
 * (factor − 1) × max(its own time, floorMs) more. The floor stands for the beat's framework overhead (a trivial
 * handler's own time is ~0 ms, docs/log-formats.md §7), so a factor slows every handler by a visible amount.
 */
export interface LatencyFault extends FaultTarget, PlayWindow {
  kind: 'latency';
  factor: number;
  floorMs: number;
}

/** The handler throws `message` (with `{n}` and `{id}` filled per execution) with probability `rate` per execution. */
export interface ErrorFault extends FaultTarget {
  kind: 'error';
  rate: number;
  message: string;
  /** Sessions it applies to (0-based); fault-free sessions are never among them. */
  sessions: number[];
  /**
   * A cause: the handler throws only in plays that follow a play of this sequence (id) in the session, as code
   * that trips over state another sequence left behind. What root-cause hints must name. Absent: no cause.
   */
  after?: string;
}

/** An error burst: within the window the handler throws with probability `rate`, elsewhere never. */
export interface BurstFault extends FaultTarget, PlayWindow {
  kind: 'burst';
  rate: number;
  message: string;
}

/**
 * A later release of a sequence: two adjacent beats of one movement swap places in the running build, in the
 * sessions listed (those from the release on; never a fault-free one), while the JSON on disk keeps the documented
 * order. What the flow validator's `order-violation` must find. It wraps no handler (`handler` is null).
 */
export interface ReorderFault {
  kind: 'reorder';
  pluginId: string;
  handler: null;
  sequenceId: string;
  /** The two beats' events in their documented order; the release runs the second first. */
  events: [string, string];
  sessions: number[];
}

export type Fault = LatencyFault | ErrorFault | BurstFault | ReorderFault;

/** The `faults` option of simulate(): explicit faults, or how many of each to draw (seeded, deterministic). */
export interface FaultOptions {
  /** Seeds the draw and the per-execution coin flips; default: the simulation seed. */
  seed?: number;
  /** Explicit faults (session and play indexes as in the plan); drawn ones are added to these. */
  faults?: Fault[];
  /** How many to draw of each kind (default 0 each). */
  latency?: number;
  errors?: number;
  bursts?: number;
  /** Errors with a cause (`ErrorFault.after`): thrown only in plays after a play of one chosen sequence. */
  causes?: number;
  /** Later releases that swap two adjacent beats of a sequence (ReorderFault). */
  reorders?: number;
  /** Sessions (0-based) that get no injected fault at all. */
  faultFreeSessions?: number[];
}

/** What one fault did in one session: counted by the wrapper as it happened. */
export interface AppliedFault {
  /** Index into the run's fault list. */
  fault: number;
  session: number;
  /** Executions of the handler inside the fault's window (latency, burst) or session (error). */
  executions: number;
  /** Executions the fault slowed (latency) or made throw (error, burst). */
  affected: number;
  /** Virtual epoch ms of the first and last affected execution; null when none was. */
  firstMs: number | null;
  lastMs: number | null;
}

/** The faults one session process applies. */
export interface SessionFaults {
  session: number;
  /** Seeds the per-execution coin flips. */
  seed: number;
  faults: Array<{ index: number; fault: Fault }>;
}

/** Whether `fault` acts in play `play` of `session`, the session's play before it being of `previousSequence`. */
export function faultApplies(fault: Fault, session: number, play: number, previousSequence: string | null): boolean {
  // A release acts when the app mounts (app-loader.ts), not on a handler's executions.
  if (fault.kind === 'reorder') return false;
  if (fault.kind === 'error') {
    return fault.sessions.includes(session) && (fault.after === undefined || fault.after === previousSequence);
  }
  return fault.session === session && play >= fault.fromPlay && play <= fault.toPlay;
}
