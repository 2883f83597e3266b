/**
 * How well the findings find what the simulator injected: precision and recall per kind against ground truth,
 * and false alarms on fault-free runs. Used by `npm run bench` (the table) and by findings-accuracy.test.ts (the
 * ≥ 95 % bar). A trial plays the demo app on the real conductor with seeded faults, ingests, indexes the app and
 * runs the findings analysis, exactly as `beatscope analyze` would.
 */

import { basename } from 'node:path';
import { MIN_ERRORS } from '../analyses/findings/error-bursts.js';
import { analyzeFindings } from '../analyses/findings/findings.js';
import type { Finding, FindingsReport } from '../analyses/findings/findings-types.js';
import { MIN_WINDOW } from '../analyses/findings/latency-anomalies.js';
import { MIN_WITH } from '../analyses/findings/root-cause.js';
import { indexCodebase } from '../codebase/index.js';
import { analyzeStore, runOf } from '../reports/run-reports.js';
import { demoAppDir } from '../simulate/demo-app-dir.js';
import type { FaultOptions } from '../simulate/faults.js';
import type { GroundTruth, InjectedFault } from '../simulate/ground-truth.js';
import { type SimulatedTrace, simulatedTrace } from './simulated-trace.js';

/** Kinds scored against ground truth. */
export const scoredKinds = [
  'handler-error',
  'error-burst',
  'latency-anomaly',
  'order-violation',
  'drift',
  'never-run',
] as const;
export type ScoredKind = (typeof scoredKinds)[number];

export interface KindScore {
  /** Findings of the kind that match something injected / findings of the kind. */
  truePositives: number;
  findings: number;
  /** Injected things found / injected things detectable from the logs. */
  found: number;
  injected: number;
  /** Injected but left out of recall: they did not leave enough in the logs (e.g. a burst with 2 errors). */
  undetectable: number;
}

/**
 * Root-cause hints against the injected causes (`ErrorFault.after`). Found: a caused error's finding names its
 * sequence as the run before (`previous-sequence`). False: any hint on the finding of an error injected without a
 * cause (random errors, bursts) — nothing sets those runs apart but chance. Hints on a caused error that name
 * something else are neither: they may be the cause's own consequences (an earlier handler that threw left a
 * DataBaton key unset).
 */
export interface HintScore {
  found: number;
  /** Caused errors with enough failing and succeeding runs to be told apart (root-cause.ts MIN_WITH). */
  caused: number;
  undetectable: number;
  /** Hints on findings of errors without a cause, and how many such findings there were. */
  falseHints: number;
  uncausedFindings: number;
}

export interface TrialResult {
  seed: number;
  truth: GroundTruth;
  report: FindingsReport;
  scores: Record<ScoredKind, KindScore>;
  hints: HintScore;
  /**
   * In the fault-free sessions (all of a fault-free run, `faultFreeSessions` of a fault trial): findings that
   * match nothing injected or thrown, and the distinct handlers those sessions executed.
   */
  falseAlarms: { findings: number; handlers: number };
  /** With `inParts`: the findings of the same store read as `analyze` reads a store too large to hold. */
  partsReport?: FindingsReport;
}

export interface TrialOptions {
  seed: number;
  sessions: number;
  /** Omit for a fault-free run. */
  faults?: FaultOptions;
  /** Also read the trial's store in about this many parts (findings-parts.ts), as `analyze` reads a large store. */
  inParts?: number;
}

export async function runTrial(options: TrialOptions): Promise<TrialResult> {
  const trace = await simulatedTrace({
    sessions: options.sessions,
    seed: options.seed,
    faults: options.faults ?? { faultFreeSessions: Array.from({ length: options.sessions }, (_, i) => i) },
  });
  return evaluateTrace(trace, options.inParts);
}

/** Indexes the demo app, runs the findings on a simulated trace and scores them against its ground truth. */
async function evaluateTrace({ truth, data, files, store }: SimulatedTrace, inParts?: number): Promise<TrialResult> {
  const { index: code } = await indexCodebase(demoAppDir());
  const report = analyzeFindings({ data, code, files });
  let partsReport: FindingsReport | undefined;
  if (inParts !== undefined) {
    await store.saveCodeIndex({ index: code, state: null, indexedAtMs: 0 });
    const set = await analyzeStore(store, { timelineBeats: Math.ceil(data.beats.length / inParts) });
    partsReport = runOf(set, 'findings')!.data as FindingsReport;
  }
  const freeFiles = new Set((truth.faults?.faultFreeSessions ?? []).map((i) => truth.sessions[i]!.file));
  const fileOf = new Map(files.map((f) => [f.fileId, basename(f.path)]));
  const freeSessions = new Set(data.sessions.filter((s) => freeFiles.has(fileOf.get(s.fileId) ?? '')).map((s) => s.id));
  const handlers = new Set(
    data.handlerRuns.filter((h) => freeSessions.has(h.sessionId)).map((h) => `${h.pluginId}.${h.handler}`),
  ).size;
  return {
    seed: truth.seed,
    truth,
    report,
    scores: score(truth, report),
    hints: scoreHints(truth, report),
    falseAlarms: falseAlarms(truth, report, handlers, freeFiles),
    ...(partsReport ? { partsReport } : {}),
  };
}

const key = (f: { plugin?: string | null; pluginId?: string | null; handler: string | null }) =>
  `${f.plugin ?? f.pluginId ?? ''}.${f.handler ?? ''}`;

export function score(truth: GroundTruth, report: FindingsReport): Record<ScoredKind, KindScore> {
  const of = (kind: string) => report.findings.filter((f) => f.kind === kind);
  const injected = truth.faults?.faults ?? [];

  const failing = new Set(truth.failingHandlers.map(key));
  const errors = of('handler-error');
  const errorHandlers = new Set(errors.map(key));
  const handlerError: KindScore = {
    truePositives: errors.filter((f) => failing.has(key(f))).length,
    findings: errors.length,
    found: [...failing].filter((k) => errorHandlers.has(k)).length,
    injected: failing.size,
    undetectable: 0,
  };

  const windowed = (
    kind: 'burst' | 'latency',
    kindName: string,
    min: number,
    matches: (f: Finding, t: InjectedFault) => boolean,
  ) => {
    const all = injected.filter((t) => t.kind === kind);
    const detectable = all.filter((t) => t.affected >= min);
    const findings = of(kindName);
    return {
      truePositives: findings.filter((f) => all.some((t) => matches(f, t))).length,
      findings: findings.length,
      found: detectable.filter((t) => findings.some((f) => matches(f, t))).length,
      injected: detectable.length,
      undetectable: all.length - detectable.length,
    };
  };
  // A sequence's burst (no handler) matches a burst of one of its plugin's handlers in the same window.
  const sameWindow = (f: Finding, t: InjectedFault) =>
    (f.handler === null ? f.plugin === t.pluginId : key(f) === key(t)) &&
    f.logFiles.some((p) => t.files.includes(basename(p))) &&
    t.firstTime !== null &&
    f.firstSeen !== null &&
    overlaps(f.firstSeen, f.lastSeen ?? f.firstSeen, t.firstTime, t.lastTime ?? t.firstTime);

  // A release that swapped two beats of a sequence: found by an order-violation of that sequence in its sessions.
  const releases = injected.filter((t) => t.kind === 'reorder' && t.affected > 0);
  const releasedIn = (f: Finding, t: InjectedFault) =>
    t.kind === 'reorder' && f.sequence === t.sequenceId && f.logFiles.some((p) => t.files.includes(basename(p)));
  const reorders = of('order-violation');
  const drifted = new Set(truth.drift.map((d) => d.sequenceId));
  const drift = of('drift');
  const never = new Set(truth.neverPlayedSequences.map((s) => s.sequenceId));
  const neverRun = of('never-run');
  return {
    'handler-error': handlerError,
    'error-burst': windowed('burst', 'error-burst', MIN_ERRORS, sameWindow),
    'latency-anomaly': windowed('latency', 'latency-anomaly', MIN_WINDOW, sameWindow),
    'order-violation': {
      truePositives: reorders.filter((f) => releases.some((t) => releasedIn(f, t))).length,
      findings: reorders.length,
      found: releases.filter((t) => reorders.some((f) => releasedIn(f, t))).length,
      injected: releases.length,
      undetectable: injected.filter((t) => t.kind === 'reorder').length - releases.length,
    },
    drift: setScore(
      drift.map((f) => f.sequence ?? ''),
      drifted,
    ),
    'never-run': setScore(
      neverRun.map((f) => f.sequence ?? ''),
      never,
    ),
  };
}

export function scoreHints(truth: GroundTruth, report: FindingsReport): HintScore {
  const injected = truth.faults?.faults ?? [];
  const errorsOf = (k: string) => report.findings.filter((f) => f.kind === 'handler-error' && key(f) === k);
  const caused = injected.filter((t) => t.kind === 'error' && t.after !== undefined);
  const detectable = caused.filter((t) => t.affected >= MIN_WITH);
  const found = detectable.filter((t) =>
    errorsOf(key(t)).some((f) =>
      f.hints?.some((h) => h.kind === 'previous-sequence' && t.kind === 'error' && h.value === t.after),
    ),
  );
  const uncaused = injected
    .filter((t) => t.kind === 'burst' || (t.kind === 'error' && t.after === undefined))
    .flatMap((t) => errorsOf(key(t)));
  return {
    found: found.length,
    caused: detectable.length,
    undetectable: caused.length - detectable.length,
    falseHints: uncaused.reduce((n, f) => n + (f.hints?.length ?? 0), 0),
    uncausedFindings: uncaused.length,
  };
}

/** Hint scores summed over trials. */
export function totalHints(results: readonly TrialResult[]): HintScore {
  const out: HintScore = { found: 0, caused: 0, undetectable: 0, falseHints: 0, uncausedFindings: 0 };
  for (const r of results) for (const k of Object.keys(out) as (keyof HintScore)[]) out[k] += r.hints[k];
  return out;
}

function setScore(found: readonly string[], truth: ReadonlySet<string>): KindScore {
  return {
    truePositives: found.filter((s) => truth.has(s)).length,
    findings: found.length,
    found: [...truth].filter((s) => found.includes(s)).length,
    injected: truth.size,
    undetectable: 0,
  };
}

/** Time ranges (ISO) overlap, with 1 s of slack: a finding's window is its settle times, truth's the calls. */
function overlaps(aFrom: string, aTo: string, bFrom: string, bTo: string): boolean {
  const slack = 1000;
  return Date.parse(aFrom) <= Date.parse(bTo) + slack && Date.parse(bFrom) <= Date.parse(aTo) + slack;
}

function falseAlarms(truth: GroundTruth, report: FindingsReport, handlers: number, freeFiles: ReadonlySet<string>) {
  const failing = new Set(truth.failingHandlers.map(key));
  const injected = truth.faults?.faults ?? [];
  const inFree = (f: Finding) => f.logFiles.some((p) => freeFiles.has(basename(p)));
  const wrong = report.findings.filter(inFree).filter((f) => {
    if (f.kind === 'handler-error') return !failing.has(key(f));
    if (f.kind === 'latency-anomaly') return !injected.some((t) => t.kind === 'latency' && key(t) === key(f));
    if (f.kind === 'error-burst') return !injected.some((t) => t.kind === 'burst' && key(t) === key(f));
    return false;
  });
  return { findings: wrong.length, handlers };
}

/** Scores summed over trials. */
export function total(results: readonly TrialResult[]): Record<ScoredKind, KindScore> {
  const out = Object.fromEntries(
    scoredKinds.map((k) => [k, { truePositives: 0, findings: 0, found: 0, injected: 0, undetectable: 0 }]),
  ) as Record<ScoredKind, KindScore>;
  for (const r of results) {
    for (const k of scoredKinds) {
      for (const field of ['truePositives', 'findings', 'found', 'injected', 'undetectable'] as const) {
        out[k][field] += r.scores[k][field];
      }
    }
  }
  return out;
}

export const precision = (s: KindScore): number | null => (s.findings === 0 ? null : s.truePositives / s.findings);
export const recall = (s: KindScore): number | null => (s.injected === 0 ? null : s.found / s.injected);
