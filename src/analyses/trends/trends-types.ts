/** Change points of handler times over time in one store (`beatscope report trends`, docs/reports.md#trends). */

export const TRENDS_SCHEMA = 'beatscope/trends';
export const TRENDS_VERSION = 1;

export interface TrendsOptions {
  /** Smallest relative change of the handler time reported (0.1 = 10 %, as `compare`). Default 0.1. */
  readonly minChange?: number;
  /** False discovery rate across every tested series (Benjamini–Hochberg). Default 0.05: a change point is a lead to look at, not a CI gate (`compare` gates, at 0.01). */
  readonly alpha?: number;
  /** Fewest sessions on each side of a change point. Default 3 (a t-test needs 2; one more guards against a lone busy session). */
  readonly minSegmentSessions?: number;
  /**
   * Fewest timed runs of the handler for a session to be a point of its series. Default 1: many handlers run once
   * per app start, and the t-test already weighs how much single sessions scatter.
   */
  readonly minRunsPerSession?: number;
  /**
   * Take each session's load (what moved every handler in it alike, session-load.ts) out of the handler series,
   * and test the load as a series of its own. Default false: on the simulator it removed a drifting host load
   * (one false change point fewer) but, where the load did not drift, its estimate added noise that hid real
   * steps (docs/reports.md#beatscopetrends-v1).
   */
  readonly normalize?: boolean;
}

export const DEFAULT_TRENDS_OPTIONS: Required<TrendsOptions> = {
  minChange: 0.1,
  alpha: 0.05,
  minSegmentSessions: 3,
  minRunsPerSession: 1,
  normalize: false,
};

/** One side of a change point: the timed runs of the sessions from the previous change point (or the start). */
export interface SegmentSummary {
  readonly sessions: number;
  /** Timed runs. */
  readonly n: number;
  /** ms, linear interpolation as the heatmap. */
  readonly p50: number;
  readonly p95: number;
}

/** Where a change point is: the first session of the new level. */
export interface ChangeLocation {
  readonly session: string;
  /** The log file holding that session (its path at ingest time; the file id when unknown). */
  readonly file: string;
  /** Session start, ISO 8601. */
  readonly time: string;
  /** 0-based position of the session among the store's sessions with a start time, by start time. */
  readonly sessionIndex: number;
}

export interface ChangePoint {
  readonly plugin: string;
  readonly handler: string;
  /** Null: all the handler's runs; set: its runs for this sequence only (reported when the handler-wide series has no change there). */
  readonly sequence: string | null;
  readonly metric: 'handlerTime';
  readonly at: ChangeLocation;
  readonly before: SegmentSummary;
  readonly after: SegmentSummary;
  /** Relative change of the 10 %-trimmed mean handler time, after vs before: 0.5 = 50 % slower. */
  readonly change: number;
  /** Welch t-test of per-session log mean times, Bonferroni over the splits tried, Benjamini–Hochberg across series. */
  readonly pValue: number;
}

/** One session of a series: what the page plots. */
export interface TrendPoint {
  readonly session: string;
  /** Epoch ms. */
  readonly startMs: number;
  readonly sessionIndex: number;
  /** Timed runs of the handler in the session. */
  readonly n: number;
  /** ms. */
  readonly p50: number;
  /** Geometric mean of its handler times, ms (each time floored at 1 ms): the value the method tests. */
  readonly geoMean: number;
}

/** The per-session series of a handler (or sequence × handler) that has change points. */
export interface TrendSeries {
  readonly plugin: string;
  readonly handler: string;
  readonly sequence: string | null;
  readonly points: readonly TrendPoint[];
  /** Indexes into `points` of the first session after each reported change point. */
  readonly changesAt: readonly number[];
}

export interface TrendsInsufficient {
  readonly plugin: string;
  readonly handler: string;
  readonly reason: string;
}

export interface TrendsReport {
  readonly options: Required<TrendsOptions>;
  readonly summary: {
    /** Sessions with a start time (the others cannot be ordered and are left out). */
    readonly sessions: number;
    readonly sessionsWithoutStart: number;
    /** Series tested (per handler, and per sequence × handler for handlers run by several sequences). */
    readonly tested: number;
    /** Of those, handler-wide series: the handlers tested. */
    readonly handlersTested: number;
    readonly changePoints: number;
    readonly handlersChanged: number;
    readonly insufficient: number;
  };
  /** By time of the change, then plugin, handler, sequence. */
  readonly changePoints: readonly ChangePoint[];
  /** Handlers (handler-wide series) with too few sessions to test; listed, never silently passed. */
  readonly insufficient: readonly TrendsInsufficient[];
  readonly series: readonly TrendSeries[];
  readonly notes: readonly string[];
}
