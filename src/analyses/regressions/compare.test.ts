import { describe, expect, it } from 'vitest';
import type { Baseline, BaselineEntry } from './baseline-types.js';
import { compareBaselines, IncomparableError } from './compare.js';

const range = (from: number, n: number, scale = 1) => Array.from({ length: n }, (_, i) => (from + i) * scale);

function entry(handler: string, timesMs: number[], plugin = 'P'): BaselineEntry {
  return {
    plugin,
    handler,
    sequence: null,
    executions: timesMs.length,
    timedExecutions: timesMs.length,
    settledAfterBeat: 0,
    errors: 0,
    errorSignatures: [],
    timesMs,
  };
}

function baseline(handlers: BaselineEntry[]): Baseline {
  return {
    schema: 'beatscope/baseline',
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    source: { sessions: 1, handlerRuns: 0, firstSessionStart: null },
    handlers,
    sequences: [],
  };
}

describe('compareBaselines', () => {
  const base = baseline([
    entry('slow', range(100, 30)),
    entry('fast', range(100, 30)),
    entry('same', range(100, 30)),
    entry('rare', range(10, 5)),
  ]);
  const cand = baseline([
    entry('slow', range(100, 30, 1.3)),
    entry('fast', range(100, 30, 0.7)),
    entry('same', range(100, 30)),
    entry('rare', range(10, 5, 3)),
  ]);

  it('a 30 % shift on 30 runs each side is a regression, −30 % an improvement; too few runs is insufficient', () => {
    const r = compareBaselines(base, cand);
    expect(r.regressions.map((c) => [c.handler, c.change])).toEqual([['slow', 0.3]]);
    expect(r.improvements.map((c) => [c.handler, c.change])).toEqual([['fast', -0.3]]);
    expect(r.compared.find((c) => c.handler === 'same')).toMatchObject({ verdict: 'unchanged', change: 0, pValue: 1 });
    expect(r.insufficient).toEqual([
      {
        plugin: 'P',
        handler: 'rare',
        sequence: null,
        reason: '5 timed executions in the baseline, 5 in the candidate: at least 20 needed on each side',
      },
    ]);
    expect(r.regressions[0]!.baseline).toEqual({ n: 30, p50: 114.5, p95: 127.55 });
  });

  it('a per-handler minimum change beats a per-plugin one; a larger one hides the shift', () => {
    const hide = compareBaselines(base, cand, { overrides: [{ handler: 'slow', minChange: 0.5 }] });
    expect(hide.regressions).toEqual([]);
    const both = compareBaselines(base, cand, {
      overrides: [
        { plugin: 'P', minChange: 0.5 },
        { plugin: 'P', handler: 'slow', minChange: 0.2 },
      ],
    });
    expect(both.regressions.map((c) => [c.handler, c.minChange])).toEqual([['slow', 0.2]]);
    expect(both.improvements).toEqual([]);
  });

  it('refuses a candidate with nothing in common or nothing at all', () => {
    expect(() => compareBaselines(base, baseline([entry('other', range(1, 30), 'Q')]))).toThrow(IncomparableError);
    expect(() => compareBaselines(base, baseline([]))).toThrow(/no handler runs/);
  });
});
