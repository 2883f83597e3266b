/**
 * The latency wrapper on one async handler, in this process: the slowed execution really settles later, and it
 * counts as pending until then, so the session waits for it before moving the clock on by the user's think time.
 */
import { describe, expect, it } from 'vitest';
import { createFaultWrapper } from './fault-wrapper.js';

const FLOOR_MS = 20;

describe('latency fault on an async handler', () => {
  it('settles (factor − 1) × floor later and is pending until it does', async () => {
    const wrapper = createFaultWrapper({
      session: 0,
      seed: 1,
      faults: [
        {
          index: 0,
          fault: {
            kind: 'latency',
            pluginId: 'P',
            handler: 'load',
            session: 0,
            fromPlay: 0,
            toPlay: 0,
            factor: 3,
            floorMs: FLOOR_MS,
          },
        },
      ],
    });
    const handlers = wrapper.wrap('P', { load: async () => ({ loaded: true }) }) as {
      load: (data: unknown, ctx: unknown) => Promise<unknown>;
    };
    wrapper.setPlay(0, 's');
    const started = performance.now();
    const settled = handlers.load({}, {});
    expect(wrapper.pending()).toBe(1);
    expect(await settled).toEqual({ loaded: true });
    // The handler's own time is ~0 ms, so the floor is what the factor multiplies: 2 × 20 ms more.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * FLOOR_MS - 1);
    expect(wrapper.pending()).toBe(0);
    expect(wrapper.applied()).toMatchObject([{ fault: 0, session: 0, executions: 1, affected: 1 }]);

    // Outside the window the handler runs as it is, and nothing waits.
    wrapper.setPlay(1, 's');
    const plain = handlers.load({}, {});
    expect(wrapper.pending()).toBe(0);
    expect(await plain).toEqual({ loaded: true });
  });
});

describe('error fault with a cause', () => {
  it('throws only in plays that follow a play of its `after` sequence', () => {
    const wrapper = createFaultWrapper({
      session: 0,
      seed: 1,
      faults: [
        {
          index: 0,
          fault: {
            kind: 'error',
            pluginId: 'P',
            handler: 'save',
            rate: 1,
            message: 'Stale revision {n}',
            sessions: [0],
            after: 'clear',
          },
        },
      ],
    });
    const { save } = wrapper.wrap('P', { save: () => 'saved' }) as { save: (d: unknown, c: unknown) => unknown };
    const outcomes = ['load', 'save', 'clear', 'save', 'save', 'clear', 'load', 'save'].map((sequence, i) => {
      wrapper.setPlay(i, sequence);
      if (sequence !== 'save') return sequence;
      try {
        return save({}, {});
      } catch (error) {
        return (error as Error).message.replace(/\d+/, 'n');
      }
    });
    // Only the save right after a clear throws; a save after a save or a load does not.
    expect(outcomes).toEqual(['load', 'saved', 'clear', 'Stale revision n', 'saved', 'clear', 'load', 'saved']);
    expect(wrapper.applied()).toMatchObject([{ fault: 0, executions: 1, affected: 1 }]);
  });
});
