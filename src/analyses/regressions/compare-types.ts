/** The result of comparing a candidate with a baseline (`beatscope compare`, docs/regressions.md). */

export const COMPARE_SCHEMA = 'beatscope/compare';
export const COMPARE_VERSION = 1;

export interface CompareOptions {
  /** Smallest relative change of the handler time that counts (0.1 = 10 %). Default 0.1. */
  readonly minChange?: number;
  /** Per handler or sequence: another minimum change (the most specific match wins). */
  readonly overrides?: readonly MinChangeOverride[];
  /** False discovery rate across all tests (Benjamini–Hochberg). Default 0.01. */
  readonly alpha?: number;
  /** Fewest timed executions on each side for a handler time to be tested. Default 20. */
  readonly minSamples?: number;
  /**
   * Divide the candidate's times by the release-wide factor (`releaseShift`) before testing each handler, so a
   * machine or load difference that moves every handler alike is not reported per handler. Default false.
   */
  readonly normalize?: boolean;
}

export interface MinChangeOverride {
  readonly plugin?: string;
  readonly handler?: string;
  readonly sequence?: string;
  readonly minChange: number;
}

export interface SampleSummary {
  /** Timed executions (all of them, not only the kept sample). */
  readonly n: number;
  /** ms. */
  readonly p50: number;
  readonly p95: number;
}

export type Verdict = 'regression' | 'improvement' | 'unchanged';

/** One tested handler time (per handler, or per sequence × handler when `sequence` is set). */
export interface HandlerChange {
  readonly plugin: string;
  readonly handler: string;
  readonly sequence: string | null;
  readonly metric: 'handlerTime';
  readonly baseline: SampleSummary;
  readonly candidate: SampleSummary;
  /** Relative change of the 10 %-trimmed mean: 0.25 = 25 % slower, −0.2 = 20 % faster. */
  readonly change: number;
  /** Two-sided Mann–Whitney p-value, Benjamini–Hochberg adjusted across every test of the comparison. */
  readonly pValue: number;
  readonly minChange: number;
  readonly verdict: Verdict;
}

export interface NewError {
  readonly plugin: string;
  readonly handler: string;
  readonly signature: string;
  readonly count: number;
  /** count / the handler's candidate executions. */
  readonly rate: number;
}

export interface ErrorRates {
  readonly executions: number;
  readonly errors: number;
  readonly rate: number;
}

export interface ErrorRateIncrease {
  readonly plugin: string;
  readonly handler: string;
  readonly baseline: ErrorRates;
  readonly candidate: ErrorRates;
  /** One-sided two-proportion z-test, Benjamini–Hochberg adjusted across handlers. */
  readonly pValue: number;
}

export type StructuralKind = 'handler-appeared' | 'handler-vanished' | 'beats-changed';

export interface StructuralChange {
  readonly kind: StructuralKind;
  readonly plugin: string | null;
  readonly handler: string | null;
  readonly sequence: string | null;
  /** beats-changed: beat events the candidate ran that the baseline never did, and the reverse. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly detail: string;
}

export interface Insufficient {
  readonly plugin: string;
  readonly handler: string;
  readonly sequence: string | null;
  readonly reason: string;
}

export interface CompareReport {
  readonly schema: typeof COMPARE_SCHEMA;
  readonly version: typeof COMPARE_VERSION;
  readonly options: {
    readonly minChange: number;
    readonly alpha: number;
    readonly minSamples: number;
    /** Whether candidate times were divided by `releaseShift.factor` (asked for, and ≥ 5 handlers tested). */
    readonly normalize: boolean;
  };
  /** Median over the tested handlers of candidate / baseline trimmed-mean time: 1.25 = everything 25 % slower. */
  readonly releaseShift: { readonly factor: number; readonly handlers: number };
  readonly summary: {
    readonly tested: number;
    readonly regressions: number;
    readonly improvements: number;
    readonly newErrors: number;
    readonly errorRateIncreases: number;
    readonly structural: number;
    readonly insufficient: number;
  };
  readonly regressions: readonly HandlerChange[];
  readonly improvements: readonly HandlerChange[];
  readonly newErrors: readonly NewError[];
  readonly errorRateIncreases: readonly ErrorRateIncrease[];
  readonly structural: readonly StructuralChange[];
  readonly insufficient: readonly Insufficient[];
  /** Every tested handler time, regressions and improvements included, in baseline order (JUnit: one case each). */
  readonly compared: readonly HandlerChange[];
}

/** The kinds `--fail-on` accepts. */
export const FAIL_ON_KINDS = ['regression', 'new-error', 'error-rate', 'structural'] as const;
export type FailOnKind = (typeof FAIL_ON_KINDS)[number];
