/** Types of the findings report (`beatscope report findings`): what is wrong and where in the code to look. */
import type { ViolationKind } from '../flow-types.js';

/** Kinds computed by the findings analyses; flow-validator kinds keep their names (handler-error excepted). */
export const findingKinds = [
  'handler-error',
  'error-burst',
  'latency-anomaly',
  'mount-failure',
  'missing-beat',
  'unexpected-event',
  'order-violation',
  'handler-mismatch',
  'incomplete-run',
  'failed-run',
  'failed-beat',
  'beat-count-mismatch',
  'drift',
  'never-run',
  'orphan-subscription',
  'unmounted-route',
] as const satisfies readonly (ViolationKind | 'error-burst' | 'latency-anomaly' | 'mount-failure')[];

export type FindingKind = (typeof findingKinds)[number];

/** `error`: production broke; `warning`: worth fixing; `note`: worth a look. SARIF's levels, same names. */
export type FindingSeverity = 'error' | 'warning' | 'note';
export const findingSeverities: readonly FindingSeverity[] = ['error', 'warning', 'note'];

/** One occurrence behind a finding, to open in the timeline or the log. */
export interface FindingEvidence {
  readonly session: string;
  readonly requestId: string | null;
  /** The log file as ingested (its path then). */
  readonly logFile: string | null;
  /** 1-based line in that file. */
  readonly logLine: number | null;
  /** Trace ids for links into the timeline (not part of the documented JSON contract). */
  readonly beatRunId?: string | null;
  readonly runId?: string | null;
}

/** Window and statistics of a latency anomaly, in ms. */
export interface LatencyDetail {
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  /** Executions in the window. */
  readonly executions: number;
  readonly windowMedianMs: number;
  readonly baselineMedianMs: number;
  /** Median absolute deviation of the baseline, ms (unscaled). */
  readonly baselineMadMs: number;
  /** Baseline executions (the handler's executions outside the window). */
  readonly baselineExecutions: number;
  /** (window median − baseline median) / robust scale; the scale is at least the 1 ms timestamp resolution. */
  readonly score: number;
}

/** Window and rates of an error burst. */
export interface BurstDetail {
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  readonly windowErrors: number;
  readonly windowExecutions: number;
  readonly elsewhereErrors: number;
  readonly elsewhereExecutions: number;
  /** One-sided binomial tail probability of so many errors in the window at the elsewhere rate. */
  readonly pValue: number;
}

/** What a root-cause hint is about (root-cause.ts). */
export type CauseKind =
  | 'previous-sequence'
  | 'previous-beat'
  | 'baton-key-present'
  | 'baton-key-absent'
  | 'slow-beat-before'
  | 'mount-failed';

/** A fact that sets the runs where a handler failed apart from the runs where it did not, with its counts. */
export interface CauseHint {
  readonly kind: CauseKind;
  /** The sequence, beat (event), DataBaton key or plugin. */
  readonly value: string;
  /** Failing runs with the fact, of all failing runs. */
  readonly failing: { readonly with: number; readonly of: number };
  /** Runs of the same sequences where the handler ran without this error, with the fact, of all such runs. */
  readonly succeeding: { readonly with: number; readonly of: number };
  /** P(fail | fact) / P(fail). */
  readonly lift: number;
  /** One-sided Fisher's exact test, Bonferroni-corrected over the group's candidate facts. */
  readonly pValue: number;
  /** The hint as a sentence. */
  readonly text: string;
}

/** Handler × error signature × sequence: runs with the error / runs of the sequence that executed the handler. */
export interface ErrorMatrix {
  /** Column order: sequence ids (names where unknown). */
  readonly sequences: readonly string[];
  readonly rows: readonly {
    readonly findingId: string;
    readonly plugin: string;
    readonly handler: string;
    readonly message: string;
    /** One per sequence; null where the handler never ran in that sequence. */
    readonly cells: readonly ({ readonly failing: number; readonly runs: number } | null)[];
  }[];
}

export interface Finding {
  /** Stable fingerprint: the same data gives the same id on every run and machine (`f-` + 16 hex). */
  readonly id: string;
  readonly kind: FindingKind;
  readonly severity: FindingSeverity;
  /** One line naming what is wrong. */
  readonly title: string;
  /** Sentences a developer acts on: what, how often, since when, where to look. */
  readonly explanation: string;
  readonly plugin: string | null;
  readonly handler: string | null;
  /** Sequence id where known, else its name. */
  readonly sequence: string | null;
  readonly event: string | null;
  /** Source file relative to the indexed repository, and 1-based line: the handler, or the sequence definition. */
  readonly file: string | null;
  readonly line: number | null;
  /** Occurrences (errors, runs, windows …) behind this finding. */
  readonly count: number;
  /** count per execution of the handler (or per run of the sequence), 0..1; null when it has no denominator. */
  readonly rate: number | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly sessions: readonly string[];
  readonly logFiles: readonly string[];
  /** At most EVIDENCE_LIMIT occurrences, in time order. */
  readonly evidence: readonly FindingEvidence[];
  /** Kind-specific detail (not part of the stable contract beyond the fields documented in docs/reports.md). */
  readonly message?: string;
  readonly frame?: { readonly fn: string | null; readonly file: string; readonly line: number | null } | null;
  readonly latency?: LatencyDetail;
  readonly burst?: BurstDetail;
  /** `handler-error`: what distinguishes its failing runs (root-cause.ts); empty when nothing does. */
  readonly hints?: readonly CauseHint[];
}

export interface Suppression {
  readonly id: string;
  readonly reason: string;
}

export interface FindingsReport {
  readonly findings: readonly Finding[];
  /** Findings hidden by `.beatscope/suppressions.json`, with the reason given there. */
  readonly suppressed: readonly {
    readonly id: string;
    readonly kind: FindingKind;
    readonly title: string;
    readonly reason: string;
  }[];
  /** The `handler-error` findings by sequence (the HTML's matrix). */
  readonly errorMatrix: ErrorMatrix;
  /** Whether a code index was given (file:line and definition-based kinds need it). */
  readonly codeIndex: boolean;
  /** The indexed repository root (SARIF locations are relative to it). */
  readonly root: string | null;
  readonly summary: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<FindingSeverity, number>>;
    readonly byKind: Readonly<Partial<Record<FindingKind, number>>>;
    readonly handlerRuns: number;
    readonly sequenceRuns: number;
  };
  /** What could not be checked and why, one sentence each (empty store, no code index …). */
  readonly notes: readonly string[];
}

export const EVIDENCE_LIMIT = 10;
