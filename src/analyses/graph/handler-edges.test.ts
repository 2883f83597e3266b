import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HandlerRun, SequenceRun } from '../../model/index.js';
import { handlerRun, sequenceRun } from '../trace-fixtures.js';
import { HandlerEdgeAccumulator, type HandlerEdgeGroup } from './handler-edges.js';

/** The groups written plainly: one joined string key per run (null and empty alike), in first-seen order. */
function groupsByJoinedKey(runs: readonly [HandlerRun, SequenceRun | undefined][]): HandlerEdgeGroup[] {
  const groups = new Map<string, Omit<HandlerEdgeGroup, 'durations'> & { durations: number[] }>();
  for (const [h, run] of runs) {
    const g = {
      runKnown: run !== undefined,
      sequenceId: run ? run.sequenceId : null,
      sequenceName: run ? run.sequenceName : h.sequenceName,
      pluginId: h.pluginId ?? run?.pluginId ?? null,
      handler: h.handler,
      event: h.event,
    };
    const key = [g.runKnown ? 1 : 0, g.sequenceId ?? '', g.sequenceName ?? '', g.pluginId ?? '', g.handler, g.event];
    const known = groups.get(key.join('\u0000')) ?? { ...g, count: 0, failed: 0, durations: [] as number[] };
    known.count++;
    if (h.status === 'error') known.failed++;
    if (h.durationMs !== null) known.durations.push(h.durationMs);
    groups.set(key.join('\u0000'), known);
  }
  return [...groups.values()].map((g) => ({ ...g, durations: Float64Array.from(g.durations) }));
}

const name = fc.constantFrom(null, '', 'A', 'B');

describe('HandlerEdgeAccumulator', () => {
  it('groups runs by sequence, plugin, handler and event as a joined key does', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            run: fc.option(fc.record({ id: name, name: fc.constantFrom('Load', ''), plugin: name })),
            plugin: name,
            sequenceName: name,
            handler: fc.constantFrom('a', 'b'),
            event: fc.constantFrom('e1', 'e2'),
            error: fc.boolean(),
            durationMs: fc.option(fc.integer({ min: 0, max: 50 })),
          }),
          { maxLength: 80 },
        ),
        (drawn) => {
          const runs = drawn.map((d, i): [HandlerRun, SequenceRun | undefined] => [
            handlerRun(`h${i}`, d.handler, {
              pluginId: d.plugin,
              sequenceName: d.sequenceName,
              event: d.event,
              status: d.error ? 'error' : 'ok',
              durationMs: d.durationMs,
            }),
            d.run === null
              ? undefined
              : sequenceRun(`r${i}`, { sequenceId: d.run.id, sequenceName: d.run.name, pluginId: d.run.plugin }),
          ]);
          const edges = new HandlerEdgeAccumulator();
          for (const [h, run] of runs) edges.addRun(h, run);
          expect(edges.groupsInOrder()).toStrictEqual(groupsByJoinedKey(runs));
        },
      ),
      { numRuns: 300 },
    );
  });
});
