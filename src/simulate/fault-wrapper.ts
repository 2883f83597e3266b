// Applies a session's faults inside the session process: wraps the handlers of each mount so that, while the
// current play is in a fault's window, the handler throws (error, burst) or really takes longer (latency). The
// conductor times and logs it all as it would any handler; the wrapper only counts what it did, for ground truth.

import { type AppliedFault, type Fault, faultApplies, type SessionFaults } from './faults.js';
import { createRng } from './prng.js';

type Handler = (this: unknown, data: unknown, ctx: unknown) => unknown;

/** Never notified: `Atomics.wait` on it sleeps the thread for its timeout. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

export interface FaultWrapper {
  /** Wraps a mount's handlers object (returns it unchanged when no fault targets this plugin). */
  wrap(pluginId: string, handlers: unknown): unknown;
  /** Sets the play being issued (0-based) and its sequence; nested plays count as their parent's. */
  setPlay(index: number, sequenceId: string): void;
  applied(): AppliedFault[];
  /**
   * Slowed async executions not yet settled. The session must not count a play as settled (and move the clock
   * on by the user's think time) while one is waiting: its settle line would then carry the think time, not the
   * delay (a window of 3 slowed executions logged as 2406, 54 and 56 ms against a usual ~70 ms).
   */
  pending(): number;
}

export function createFaultWrapper(plan: SessionFaults | undefined): FaultWrapper {
  const rng = createRng(plan?.seed ?? 1);
  let play = -1;
  let sequence: string | null = null;
  /** The sequence of the play issued before the current one (an `after` fault's condition). */
  let previousSequence: string | null = null;
  let pending = 0;
  const counts = new Map<number, AppliedFault>();
  for (const { index } of plan?.faults ?? []) {
    counts.set(index, {
      fault: index,
      session: plan!.session,
      executions: 0,
      affected: 0,
      firstMs: null,
      lastMs: null,
    });
  }
  const fill = (message: string) =>
    message
      .replace(/\{n\}/g, () => String(rng.int(2, 9999)))
      .replace(/\{id\}/g, () => `${rng.pick(['node', 'layer', 'req', 'doc'])}-${rng.int(1, 999)}-${rng.int(1, 99)}`);

  const wrapOne = (name: string, original: Handler, faults: Array<{ index: number; fault: Fault }>): Handler => {
    const wrapped: Handler = function (this: unknown, data, ctx) {
      let extra: { factor: number; floorMs: number; count: AppliedFault } | null = null;
      for (const { index, fault } of faults) {
        if (!faultApplies(fault, plan!.session, play, previousSequence)) continue;
        const count = counts.get(index)!;
        count.executions++;
        if (fault.kind === 'latency') {
          extra = { factor: fault.factor, floorMs: fault.floorMs, count };
        } else if (fault.kind !== 'reorder' && rng.chance(fault.rate)) {
          mark(count);
          throw new Error(fill(fault.message));
        }
      }
      if (!extra) return original.call(this, data, ctx);
      const slow = extra;
      mark(slow.count);
      const started = performance.now();
      const result = original.call(this, data, ctx);
      const waitMs = () => (slow.factor - 1) * Math.max(performance.now() - started, slow.floorMs);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        pending++;
        return (result as Promise<unknown>)
          .then((value) => new Promise((resolve) => setTimeout(() => resolve(value), waitMs())))
          .finally(() => {
            pending--;
          });
      }
      // Blocks the thread as slow synchronous code does, without spinning: the other session process (and the
      // machine) keep their CPU, so the slowdown lands on this handler only.
      Atomics.wait(SLEEPER, 0, 0, waitMs());
      return result;
    };
    Object.defineProperty(wrapped, 'name', { value: name });
    return wrapped;
  };

  return {
    wrap(pluginId, handlers) {
      const mine = (plan?.faults ?? []).filter((f) => f.fault.pluginId === pluginId);
      if (mine.length === 0 || !handlers || typeof handlers !== 'object') return handlers;
      const out: Record<string, unknown> = { ...(handlers as Record<string, unknown>) };
      for (const [name, fn] of Object.entries(out)) {
        const targeting = mine.filter((f) => f.fault.handler === name);
        if (typeof fn === 'function' && targeting.length > 0) out[name] = wrapOne(name, fn as Handler, targeting);
      }
      return out;
    },
    setPlay(index, sequenceId) {
      play = index;
      previousSequence = sequence;
      sequence = sequenceId;
    },
    applied: () => [...counts.values()],
    pending: () => pending,
  };
}

function mark(count: AppliedFault): void {
  const now = Date.now();
  count.affected++;
  count.firstMs ??= now;
  count.lastMs = now;
}
