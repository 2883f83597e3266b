/**
 * The timeline's columns for one report input, built once: the timeline report renders them and every other
 * page links into them (timeline-index.ts). Cached per input object.
 */
import { buildTimeline, type TimelineData } from '../analyses/timeline.js';
import type { ReportInput } from './report-definition.js';

const cache = new WeakMap<ReportInput, TimelineData>();

export function timelineOf(input: ReportInput): TimelineData {
  let timeline = cache.get(input);
  if (!timeline) {
    timeline = buildTimeline(input.data, { codeIndex: input.code });
    cache.set(input, timeline);
  }
  return timeline;
}
