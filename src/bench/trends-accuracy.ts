/**
 * How well `report trends` locates the session where a handler got slower, measured on the simulator (the demo
 * app on the real musical-conductor). A trial plays `sessions` app starts in which chosen handlers are slowed by a
 * latency fault from a drawn session to the last one (one fault per handler and session, windows covering every
 * play: recorded in ground truth), ingests them and runs the trends analysis as `beatscope report trends` does. A
 * step is *located* when a change point of that handler (handler-wide or in one of its sequences) is an increase
 * and its first session is within one session of the first slowed one. Flags on handlers left alone are false.
 * github-action-benchmark's rule (alert when a run is ≥ 2× the previous one; here each session's mean handler
 * time against the previous session's) runs on the same series. Used by trends-accuracy.test.ts and `npm run bench`.
 */

import { byStartTime } from '../analyses/trace-data.js';
import { buildTrends, timedRuns } from '../analyses/trends/build-trends.js';
import { ALL_PLUGINS } from '../analyses/trends/session-load.js';
import type { TrendsOptions, TrendsReport } from '../analyses/trends/trends-types.js';
import { LATENCY_FLOOR_MS } from '../simulate/fault-plan.js';
import type { LatencyFault } from '../simulate/faults.js';
import type { GroundTruth } from '../simulate/ground-truth.js';
import { createRng } from '../simulate/prng.js';
import { SLOWED_HANDLERS } from './regression-accuracy.js';
import { simulatedTrace } from './simulated-trace.js';

export interface Step {
  readonly plugin: string;
  readonly handler: string;
  /** Each execution takes factor × as long (fault-wrapper.ts), from session `fromSession` (0-based) on. */
  readonly factor: number;
  readonly fromSession: number;
}

/** Latency faults slowing each step's handler in every play of sessions fromSession..sessions−1. */
export function stepFaults(steps: readonly Step[], sessions: number): LatencyFault[] {
  return steps.flatMap((s) =>
    Array.from(
      { length: sessions - s.fromSession },
      (_, i): LatencyFault => ({
        kind: 'latency',
        pluginId: s.plugin,
        handler: s.handler,
        session: s.fromSession + i,
        fromPlay: 0,
        toPlay: Number.MAX_SAFE_INTEGER,
        factor: s.factor,
        floorMs: LATENCY_FLOOR_MS,
      }),
    ),
  );
}

/**
 * Steps for `factors`, one handler each, drawn with `seed` from the handlers every demo session plays several
 * times (regression-accuracy.ts), their first slow session drawn so that `minSide` sessions lie on each side.
 */
export function drawSteps(factors: readonly number[], sessions: number, seed: number, minSide = 3): Step[] {
  const rng = createRng(seed);
  const pool = [...SLOWED_HANDLERS];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return factors.map((factor, i) => ({
    plugin: pool[i % pool.length]!.plugin,
    handler: pool[i % pool.length]!.handler,
    factor,
    fromSession: rng.int(minSide, sessions - minSide),
  }));
}

export interface StepScore {
  readonly step: Step;
  /** Session index of the nearest increase found for the handler; null when none. */
  readonly foundAt: number | null;
  readonly located: boolean;
  /** The same for the 2× rule. */
  readonly ratioAt: number | null;
  readonly ratioLocated: boolean;
}

export interface TrendsScore {
  readonly steps: readonly StepScore[];
  /** Handlers whose handler-wide series was tested. */
  readonly handlersTested: number;
  /** Handlers not slowed that got a change point (any series of theirs), and the same for the 2× rule. */
  readonly falseHandlers: number;
  readonly ratioFalseHandlers: number;
  readonly ratioHandlers: number;
}

export interface TrendsTrial {
  readonly seed: number;
  readonly truth: GroundTruth;
  readonly report: TrendsReport;
  readonly score: TrendsScore;
  /** The same sessions analysed with other options. */
  readonly rerun: (options: TrendsOptions) => { report: TrendsReport; score: TrendsScore };
}

/** Plays one trial and scores it (steps: [] for an A/A trial, where every flag is false). */
export async function runTrendsTrial(
  seed: number,
  sessions: number,
  steps: readonly Step[],
  options: TrendsOptions = {},
  concurrency?: number,
): Promise<TrendsTrial> {
  const { truth, data, files } = await simulatedTrace({
    sessions,
    seed,
    concurrency,
    ...(steps.length > 0 && { faults: { faults: stepFaults(steps, sessions) } }),
  });
  const ratio = ratioRuleFlags(data);
  const rerun = (o: TrendsOptions) => {
    const report = buildTrends(data, files, o);
    return { report, score: scoreTrends(report, steps, ratio) };
  };
  return { seed, truth, ...rerun(options), rerun };
}

const keyOf = (e: { plugin: string; handler: string }) => `${e.plugin}.${e.handler}`;

/**
 * github-action-benchmark's alert (`alert-threshold: 200%`): a session whose mean handler time is at least twice
 * the previous session's (sessions by start time, those where the handler ran). Handler key → session indexes.
 */
export function ratioRuleFlags(data: Parameters<typeof timedRuns>[0]): Map<string, number[]> {
  const ordered = data.sessions.filter((s) => s.startMs !== null).sort(byStartTime);
  const rank = new Map(ordered.map((s, i) => [s.id, i]));
  const sums = new Map<string, Map<number, { sum: number; n: number }>>();
  for (const r of timedRuns(data)) {
    const session = rank.get(r.sessionId);
    if (session === undefined) continue;
    const bySession = sums.get(keyOf(r)) ?? new Map<number, { sum: number; n: number }>();
    const acc = bySession.get(session) ?? { sum: 0, n: 0 };
    acc.sum += r.durationMs;
    acc.n++;
    bySession.set(session, acc);
    sums.set(keyOf(r), bySession);
  }
  const out = new Map<string, number[]>();
  for (const [key, bySession] of sums) {
    const points = [...bySession].sort((a, b) => a[0] - b[0]);
    const flags: number[] = [];
    for (let i = 1; i < points.length; i++) {
      const prev = points[i - 1]![1];
      const cur = points[i]![1];
      if (cur.sum / cur.n >= 2 * Math.max(prev.sum / prev.n, Number.MIN_VALUE)) flags.push(points[i]![0]);
    }
    out.set(key, flags);
  }
  return out;
}

export function scoreTrends(
  report: TrendsReport,
  steps: readonly Step[],
  ratioFlags: ReadonlyMap<string, readonly number[]>,
): TrendsScore {
  const slowed = new Set(steps.map(keyOf));
  const nearest = (list: readonly number[], target: number) =>
    list.length === 0 ? null : list.reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
  const scored = steps.map((step): StepScore => {
    const ups = report.changePoints
      .filter((c) => keyOf(c) === keyOf(step) && c.change > 0)
      .map((c) => c.at.sessionIndex);
    const foundAt = nearest(ups, step.fromSession);
    const ratioAt = nearest(ratioFlags.get(keyOf(step)) ?? [], step.fromSession);
    return {
      step,
      foundAt,
      located: foundAt !== null && Math.abs(foundAt - step.fromSession) <= 1,
      ratioAt,
      ratioLocated: ratioAt !== null && Math.abs(ratioAt - step.fromSession) <= 1,
    };
  });
  // The (all handlers) load series of `normalize` is no handler: a shared load is not a false flag of one.
  const flaggedHandlers = new Set(report.changePoints.filter((c) => c.plugin !== ALL_PLUGINS).map(keyOf));
  const ratioFlagged = [...ratioFlags].filter(([, f]) => f.length > 0).map(([k]) => k);
  return {
    steps: scored,
    handlersTested: report.summary.handlersTested,
    falseHandlers: [...flaggedHandlers].filter((k) => !slowed.has(k)).length,
    ratioFalseHandlers: ratioFlagged.filter((k) => !slowed.has(k)).length,
    ratioHandlers: ratioFlags.size,
  };
}

/**
 * `npm run bench` (section `trends`): an A/A trial and a trial with steps of 1.5×, 2× and 3×, played at once, each
 * analysed as is and with `normalize`, beside the 2× rule.
 */
export async function trendsAccuracyTable(sessions: number, seed = 9301): Promise<string> {
  const steps = drawSteps([1.5, 1.5, 2, 2, 3, 3], sessions, seed);
  const [aa, ab] = await Promise.all([
    runTrendsTrial(seed, sessions, [], {}, 1),
    runTrendsTrial(seed + 1, sessions, steps, {}, 1),
  ]);
  const rows = [
    `sessions ${sessions}, seeds ${seed}/${seed + 1}; located = within one session of the first slowed one`,
  ];
  const ratio = ab.score;
  rows.push(
    `2× rule: A/A flagged ${aa.score.ratioFalseHandlers} of ${aa.score.ratioHandlers} handlers; with steps ${ratio.ratioFalseHandlers} left alone flagged; located ${[1.5, 2, 3].map((f) => `${f}× ${ratio.steps.filter((x) => x.step.factor === f && x.ratioLocated).length}/${ratio.steps.filter((x) => x.step.factor === f).length}`).join(', ')}`,
  );
  for (const normalize of [false, true]) {
    const a = aa.rerun({ normalize }).score;
    const b = ab.rerun({ normalize }).score;
    rows.push(
      `trends${normalize ? ' --normalize' : ''}: A/A flagged ${a.falseHandlers} of ${a.handlersTested} handlers; with steps ${b.falseHandlers} left alone flagged; located ${[
        1.5, 2, 3,
      ]
        .map((f) => {
          const s = b.steps.filter((x) => x.step.factor === f);
          return `${f}× ${s.filter((x) => x.located).length}/${s.length} (${s.map((x) => `${x.step.handler}@${x.step.fromSession}→${x.foundAt ?? '–'}`).join(', ')})`;
        })
        .join(', ')}`,
    );
  }
  return rows.join('\n');
}
