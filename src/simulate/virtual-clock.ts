// Session clock: real elapsed time plus simulated user think time, so logs span minutes while the run takes seconds.
// Durations measured inside a play stay real because think time is only added while the app is idle.

export interface VirtualClock {
  /** Epoch ms on the virtual timeline. */
  nowMs(): number;
  /** Adds idle (think) time in ms without sleeping. */
  advance(ms: number): void;
}

export function createVirtualClock(startEpochMs: number): VirtualClock {
  const perfAtStart = performance.now();
  let thinkMs = 0;
  return {
    nowMs: () => Math.floor(startEpochMs + (performance.now() - perfAtStart) + thinkMs),
    advance(ms) {
      thinkMs += ms;
    },
  };
}

/**
 * Makes `Date.now()` and `new Date()` read the virtual clock, so ids and `completed in <n>ms` lines the conductor
 * derives from Date agree with the printed timestamps. Returns the real Date constructor.
 */
export function installVirtualDate(clock: VirtualClock): DateConstructor {
  const RealDate = Date;
  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.nowMs());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return clock.nowMs();
    }
  }
  globalThis.Date = VirtualDate as DateConstructor;
  return RealDate;
}
