/** The timeline's column data (built by timeline.ts, drawn by web/timeline-client.ts). */
import type { CodeIndex } from '../model/index.js';

export type TimelineAxis = 'time' | 'log-order';

export interface TimelineOptions {
  /** Maps handlers to `file:line` in the details panel. */
  readonly codeIndex?: CodeIndex;
  /** Longest DataBaton preview kept, in characters. Default 160. */
  readonly previewChars?: number;
  /** Most stacked handler rows per lane; overlapping handler runs beyond it share the last row. Default 4. */
  readonly maxHandlerRows?: number;
}

/** Column arrays: index i of every array of one object describes item i. `-1` means none for indexes. */
export interface TimelineData {
  readonly version: 1;
  readonly axis: TimelineAxis;
  /** Epoch ms of axis 0 on the time axis; null on the log-order axis. */
  readonly originMs: number | null;
  readonly strings: readonly string[];
  /** Deduplicated handler lists of beats, as indexes into `handlers`. */
  readonly handlerSets: readonly (readonly number[])[];
  readonly sessions: {
    readonly id: number[];
    readonly label: number[];
    readonly start: number[];
    readonly end: number[];
    readonly firstLane: number[];
    readonly laneCount: number[];
  };
  /** Per lane: its session and how many handler rows it needs (overlapping handler runs stack). */
  readonly lanes: { readonly session: number[]; readonly handlerRows: number[] };
  readonly runs: {
    readonly id: number[];
    readonly name: number[];
    readonly status: number[];
    readonly plugin: number[];
    readonly requestId: number[];
    readonly lane: number[];
    readonly start: number[];
    readonly end: number[];
    /** Conductor-reported duration, ms; null when unknown. */
    readonly durationMs: (number | null)[];
    readonly durationSource: number[];
    /** 1-based first line in the log file. */
    readonly line: number[];
  };
  readonly beats: {
    /** Beat id = run id + ':' + suffix when the beat has a run, else the suffix alone. */
    readonly idSuffix: number[];
    readonly run: number[];
    readonly lane: number[];
    /** Axis start, delta-encoded: start[i] = start[i-1] + startDelta[i] (beats are sorted by start). */
    readonly startDelta: number[];
    /** Drawn length on the axis. */
    readonly length: number[];
    readonly durationMs: (number | null)[];
    readonly durationSource: number[];
    readonly handlerSet: number[];
    readonly event: number[];
    readonly title: number[];
    readonly plugin: number[];
    readonly beat: number[];
    /** 1-based first line in the log file. */
    readonly line: number[];
    /** Bit 1: failed or errored; bit 2: one of its handlers settled after the beat. */
    readonly flags: number[];
  };
  readonly handlerRuns: {
    /** Full handler-run ids (not in the string table: nearly all distinct). The page leaves them out. */
    readonly id: string[];
    readonly handler: number[];
    readonly beat: number[];
    readonly lane: number[];
    readonly row: number[];
    readonly start: number[];
    readonly end: number[];
    readonly durationMs: (number | null)[];
    readonly durationSource: number[];
    /** Bit 1: error; bit 2: settled after its beat (async, drawn from beat start to settle time). */
    readonly flags: number[];
  };
  /** One row per handler (plugin + name): percentiles over all its runs, ms; null without durations. */
  readonly handlers: {
    readonly name: number[];
    readonly plugin: number[];
    readonly location: number[];
    readonly count: number[];
    readonly p50Ms: (number | null)[];
    readonly p95Ms: (number | null)[];
    /** p95 of the durations of beats this handler ran in (beat time = handler time + overhead). */
    readonly beatP95Ms: (number | null)[];
  };
  readonly batons: {
    readonly beat: number[];
    readonly handler: number[];
    readonly added: number[][];
    readonly updated: number[][];
    readonly removed: number[][];
    readonly preview: number[];
  };
  readonly errors: {
    readonly beat: number[];
    readonly lane: number[];
    readonly at: number[];
    readonly handler: number[];
    readonly plugin: number[];
    readonly message: number[];
    /** Top stack frame `file:line`, or -1. */
    readonly frame: number[];
  };
  readonly gaps: { readonly session: number[]; readonly start: number[]; readonly end: number[] };
  /** Beats left out: no timestamp on a time axis and no timed run to hang them on. */
  readonly untimedBeats: number;
  /** Set when the timeline covers only the first part of a store too large to lay out whole. */
  readonly window?: TimelineWindow;
}

/**
 * The part of the store a timeline covers: everything that starts before its `beatRuns + 1`-th beat run in log
 * order (files by content id, then lines) — of the store, or of one log file (`logFile`). Runs cut by that point
 * show only their earlier beats.
 */
export interface TimelineWindow {
  /** Beat runs read (at most the cap), of `storeBeatRuns` in the store. */
  readonly beatRuns: number;
  readonly storeBeatRuns: number;
  /** The log file the timeline covers (`beatscope report timeline --log`), its stored path; absent: the store's. */
  readonly logFile?: string;
  /** With `logFile`: whether the window holds all of that file's beat runs (false: its first `beatRuns`). */
  readonly wholeFile?: boolean;
  /** With `logFile`: the line the window is laid around (`beatscope report timeline --at`); absent: its start. */
  readonly aroundLine?: number;
}
