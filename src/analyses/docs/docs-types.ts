/** Types of `beatscope docs`: one document per sequence, as production ran it. Plain JSON-serialisable data. */
import type { SequenceDrift } from '../flow-types.js';

/** Durations, ms, over `n` timed samples; p50/p95 null when none was timed. */
export interface SampleTimes {
  readonly n: number;
  readonly p50: number | null;
  readonly p95: number | null;
}

export interface BeatDoc {
  /** From the definition (null for a beat the definition lacks). */
  readonly movement: string | null;
  readonly beat: number | null;
  readonly event: string;
  readonly title: string | null;
  /** The handler that ran for the event most often, else the defined one. */
  readonly handler: string | null;
  readonly plugin: string | null;
  /** Where the code index found the handler's function. */
  readonly file: string | null;
  readonly line: number | null;
  /** The sequence definition has a beat for this event. */
  readonly defined: boolean;
  /** Runs of the sequence in which the beat ran. */
  readonly seenInRuns: number;
  /** Runs of `handler` for this beat; `time` and `errorRate` are over them. */
  readonly handlerRuns: number;
  readonly time: SampleTimes;
  /** Share 0..1 of `handlerRuns` that threw; null without runs. */
  readonly errorRate: number | null;
  /** DataBaton keys the handler added or changed in this beat (diff lines), and removed. */
  readonly keysWritten: readonly string[];
  readonly keysRemoved: readonly string[];
  /** Keys the handler's source reads (code index). */
  readonly keysRead: readonly string[];
}

export interface SequenceLink {
  readonly id: string | null;
  readonly name: string;
}

export interface SequenceDoc {
  /** Sequence id when the log or the code names one. */
  readonly id: string | null;
  readonly name: string;
  readonly plugin: string | null;
  /** The definition's `description`. */
  readonly description: string | null;
  /** Where it is defined. */
  readonly source: { readonly file: string; readonly line: number } | null;
  readonly runs: number;
  readonly completedRuns: number;
  readonly failedRuns: number;
  readonly sessions: number;
  /** Runs that followed the beat order of `beats` (the most frequent one among completed runs). */
  readonly pathRuns: number;
  /** Time of completed runs. */
  readonly time: SampleTimes;
  /** Beats in the order the most frequent path ran them. */
  readonly beats: readonly BeatDoc[];
  /** Beats some runs ran that the most frequent path does not have. */
  readonly offPath: readonly BeatDoc[];
  /** Defined beats no run played. */
  readonly neverSeen: readonly BeatDoc[];
  /** Sequences its runs started (a handler played them), and those whose runs started it; with counts. */
  readonly starts: readonly (SequenceLink & { readonly count: number })[];
  readonly startedBy: readonly (SequenceLink & { readonly count: number })[];
  /** Drift against the definition (the flow report's), null when none or not defined. */
  readonly drift: SequenceDrift | null;
}

export interface DocsReport {
  /** Defined and run sequences, by id (name when it has none). */
  readonly sequences: readonly SequenceDoc[];
  readonly notes: readonly string[];
}
