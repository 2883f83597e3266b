/**
 * How well `beatscope compare` tells releases apart, measured on the simulator (the demo app on the real
 * musical-conductor): a release is a simulate() run, ingested and turned into a baseline as `beatscope baseline`
 * does. A/A pairs are two runs of the same release on different seeds (any flag is false); A/B pairs slow chosen
 * handlers by whole-run latency faults (factor 1.2, 1.5, 2: recorded in ground truth) and check each is caught.
 * The fixed-ratio rule of github-action-benchmark (flag when the mean is ≥ 2× the baseline's) runs on the same
 * pairs for comparison. Used by regression-accuracy.test.ts and `npm run bench`.
 */

import type { Baseline, BaselineEntry } from '../analyses/regressions/baseline-types.js';
import { buildBaseline } from '../analyses/regressions/build-baseline.js';
import { compareBaselines } from '../analyses/regressions/compare.js';
import type { CompareOptions, CompareReport } from '../analyses/regressions/compare-types.js';
import { LATENCY_FLOOR_MS } from '../simulate/fault-plan.js';
import type { LatencyFault } from '../simulate/faults.js';
import type { GroundTruth } from '../simulate/ground-truth.js';
import { createRng } from '../simulate/prng.js';
import { simulatedTrace } from './simulated-trace.js';

export interface Slowdown {
  readonly plugin: string;
  readonly handler: string;
  /** Each execution takes factor × as long (fault-wrapper.ts: + (factor − 1) × max(own time, 16 ms)). */
  readonly factor: number;
}

export interface Release {
  readonly baseline: Baseline;
  readonly truth: GroundTruth;
}

/** Latency faults covering every play of every session: a release in which `slowdowns` are slower throughout. */
export function wholeRunSlowdowns(slowdowns: readonly Slowdown[], sessions: number): LatencyFault[] {
  return slowdowns.flatMap((s) =>
    Array.from(
      { length: sessions },
      (_, session): LatencyFault => ({
        kind: 'latency',
        pluginId: s.plugin,
        handler: s.handler,
        session,
        fromPlay: 0,
        toPlay: Number.MAX_SAFE_INTEGER,
        factor: s.factor,
        floorMs: LATENCY_FLOOR_MS,
      }),
    ),
  );
}

/**
 * Plays a release and builds its baseline. Releases to be compared should be played at the same time (one
 * session process each): on a shared machine the load changes by the minute and moves every handler time by
 * 25 % or more, which a comparison of releases played one after the other mistakes for (or mixes into) a change.
 */
export async function playRelease(
  seed: number,
  sessions: number,
  slowdowns: readonly Slowdown[] = [],
  /** Session processes at once (simulate's default: 2). */
  concurrency?: number,
): Promise<Release> {
  const { truth, data } = await simulatedTrace({
    sessions,
    seed,
    concurrency,
    ...(slowdowns.length > 0 && { faults: { faults: wholeRunSlowdowns(slowdowns, sessions) } }),
  });
  return { baseline: buildBaseline(data, new Date(0)), truth };
}

/**
 * Handlers to slow: those with at least `minSamples` timed executions in the baseline, shuffled with `seed`,
 * the first `perFactor` × factors.length of them given the factors in turn.
 */
export function chooseSlowdowns(
  base: Baseline,
  factors: readonly number[],
  perFactor: number,
  minSamples: number,
  seed: number,
): Slowdown[] {
  const rng = createRng(seed);
  const pool = base.handlers.filter((e) => e.sequence === null && e.timedExecutions >= minSamples);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool
    .slice(0, perFactor * factors.length)
    .map((e, i) => ({ plugin: e.plugin, handler: e.handler, factor: factors[i % factors.length]! }));
}

export interface PairScore {
  /** Handler-level entries tested (not insufficient). */
  readonly tested: number;
  /** Tested handlers flagged (regression or improvement) that were not slowed. */
  readonly falseFlags: number;
  /** Slowed handlers that were tested, and how many of them were flagged as regressions, per factor. */
  readonly shifts: ReadonlyArray<{ plugin: string; handler: string; factor: number; n: number; caught: boolean }>;
  /** The same with github-action-benchmark's rule: mean ratio ≥ 2. */
  readonly ratioRule: { readonly falseFlags: number; readonly caught: number };
}

export function scorePair(
  base: Baseline,
  cand: Baseline,
  slowdowns: readonly Slowdown[],
  options: CompareOptions = {},
): { report: CompareReport; score: PairScore } {
  const report = compareBaselines(base, cand, options);
  const key = (e: { plugin: string; handler: string }) => `${e.plugin}.${e.handler}`;
  const slowed = new Map(slowdowns.map((s) => [key(s), s]));
  const handlerLevel = report.compared.filter((c) => c.sequence === null);
  const flagged = new Set([...report.regressions, ...report.improvements].filter((c) => c.sequence === null).map(key));
  const regressed = new Set(report.regressions.filter((c) => c.sequence === null).map(key));
  const shifts = handlerLevel
    .filter((c) => slowed.has(key(c)))
    .map((c) => ({
      plugin: c.plugin,
      handler: c.handler,
      factor: slowed.get(key(c))!.factor,
      n: Math.min(c.baseline.n, c.candidate.n),
      caught: regressed.has(key(c)),
    }));
  const candByKey = new Map(cand.handlers.filter((e) => e.sequence === null).map((e) => [key(e), e]));
  const ratioFlag = (b: BaselineEntry) => {
    const c = candByKey.get(key(b));
    return c !== undefined && mean(c.timesMs) >= 2 * mean(b.timesMs);
  };
  const testedBase = base.handlers.filter((e) => e.sequence === null && handlerLevel.some((c) => key(c) === key(e)));
  return {
    report,
    score: {
      tested: handlerLevel.length,
      falseFlags: handlerLevel.filter((c) => !slowed.has(key(c)) && flagged.has(key(c))).length,
      shifts,
      ratioRule: {
        falseFlags: testedBase.filter((e) => !slowed.has(key(e)) && ratioFlag(e)).length,
        caught: testedBase.filter((e) => slowed.has(key(e)) && ratioFlag(e)).length,
      },
    },
  };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** The handlers slowed in A/B pairs: ones every demo session plays several times, three per factor. */
export const SLOWED_HANDLERS: readonly Slowdown[] = [
  { plugin: 'CanvasComponentPlugin', handler: 'createNode', factor: 1.2 },
  { plugin: 'CanvasComponentPlugin', handler: 'registerInstance', factor: 1.5 },
  { plugin: 'CanvasComponentPlugin', handler: 'resolveTemplate', factor: 2 },
  { plugin: 'CanvasComponentPlugin', handler: 'notifySelectionChanged', factor: 1.2 },
  { plugin: 'CanvasComponentPlugin', handler: 'showSelectionOverlay', factor: 1.5 },
  { plugin: 'CanvasComponentPlugin', handler: 'routeSelectionRequest', factor: 2 },
  { plugin: 'ControlPanelPlugin', handler: 'generateFields', factor: 1.2 },
  { plugin: 'ControlPanelPlugin', handler: 'renderView', factor: 1.5 },
  { plugin: 'LibraryComponentPlugin', handler: 'onDragStart', factor: 2 },
];

/**
 * `npm run bench` (section `regressions`): one A/A and one A/B pair of `sessions` sessions per release, the
 * three releases played at once, scored for compare (defaults) and for the fixed 2× ratio rule.
 */
export async function regressionAccuracyTable(sessions: number, seed = 8101, minSamples = 20): Promise<string> {
  const [a, again, b] = await Promise.all([
    playRelease(seed, sessions, [], 1),
    playRelease(seed + 101, sessions, [], 1),
    playRelease(seed + 202, sessions, SLOWED_HANDLERS, 1),
  ]);
  const aa = scorePair(a.baseline, again.baseline, [], { minSamples }).score;
  const ab = scorePair(a.baseline, b.baseline, SLOWED_HANDLERS, { minSamples }).score;
  const rows = [`sessions per release ${sessions}, min n ${minSamples}, seeds ${seed}/${seed + 101}/${seed + 202}`];
  rows.push(
    `A/A: ${aa.falseFlags}/${aa.tested} handlers flagged by compare, ${aa.ratioRule.falseFlags} by the 2× rule`,
  );
  for (const factor of [1.2, 1.5, 2]) {
    const shifts = ab.shifts.filter((s) => s.factor === factor);
    rows.push(
      `A/B ${factor}×: ${shifts.filter((s) => s.caught).length}/${shifts.length} caught (n ${shifts.map((s) => s.n).join(', ')})`,
    );
  }
  rows.push(
    `A/B others flagged: ${ab.falseFlags}/${ab.tested - ab.shifts.length}; 2× rule: ${ab.ratioRule.caught}/${ab.shifts.length} caught, ${ab.ratioRule.falseFlags} false`,
  );
  return rows.join('\n');
}
