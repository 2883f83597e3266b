/**
 * The timeline's columns for one report input, built once: the timeline report renders them and every other
 * page links into them (timeline-index.ts). Cached per input object.
 */
import { buildTimeline, type TimelineData } from '../analyses/timeline.js';
import type { TraceData } from '../analyses/trace-data.js';
import type { ReportInput } from './report-definition.js';

const cache = new WeakMap<ReportInput, TimelineData>();

/** The trace the timeline covers: the whole input, or its first part on a large store. */
export function timelineTrace(input: ReportInput): TraceData {
  return input.timelineWindow?.data ?? input.data;
}

/**
 * Reports that need every run, beat and DataBaton line of what they cover (graph, state, sequences) read the
 * timeline's trace; on a store larger than its window this says what they cover, else null.
 */
export function windowNote(input: ReportInput): string | null {
  const w = input.timelineWindow?.window;
  if (!w) return null;
  const n = (v: number) => v.toLocaleString('en-US');
  return w.logFile !== undefined
    ? `the store holds ${n(w.storeBeatRuns)} beat runs: this covers log file ${w.logFile}, ${w.wholeFile ? 'all' : 'the first'} ${n(w.beatRuns)} of its beat runs (the timeline's window)`
    : `the store holds ${n(w.storeBeatRuns)} beat runs: this covers its first ${n(w.beatRuns)} (the timeline's window)`;
}

/** `report` with the window note appended to its notes, when there is one. */
export function withWindowNote<R extends { readonly notes: readonly string[] }>(input: ReportInput, report: R): R {
  const note = windowNote(input);
  return note === null ? report : { ...report, notes: [...report.notes, note] };
}

export function timelineOf(input: ReportInput): TimelineData {
  let timeline = cache.get(input);
  if (!timeline) {
    const part = input.timelineWindow;
    timeline = buildTimeline(part?.data ?? input.data, { codeIndex: input.code });
    if (part) timeline = { ...timeline, window: part.window };
    cache.set(input, timeline);
  }
  return timeline;
}
