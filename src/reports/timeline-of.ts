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
