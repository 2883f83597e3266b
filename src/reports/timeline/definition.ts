/**
 * The timeline report: text and Markdown list the runs per session (from the trace data); JSON and the page are
 * the timeline's columns (`buildTimeline`, with handler source locations when a code index is stored).
 */
import type { TimelineData } from '../../analyses/timeline.js';
import type { TraceData } from '../../analyses/trace-data.js';
import { escapeHtml, formatCount } from '../html-layout.js';
import { overviewPanel } from '../html-overview.js';
import { defineReport } from '../report-definition.js';
import { timelineOf, timelineTrace } from '../timeline-of.js';
import { renderTimelinePage } from './html-timeline.js';
import { renderRunsMd, renderRunsText, windowNote } from './runs-text.js';

export interface TimelineReport {
  readonly trace: TraceData;
  readonly timeline: TimelineData;
}

export const timelineReport = defineReport<TimelineReport>({
  name: 'timeline',
  title: 'Timeline',
  schema: { schema: 'beatscope/timeline', version: 1 },
  requiresCode: false,
  reads: ['timeline'],
  analyze: (input) => ({ trace: timelineTrace(input), timeline: timelineOf(input) }),
  json: (r) => r.timeline,
  text: (r, options) => renderRunsText(r.trace, options, r.timeline.window),
  md: (r, options) => renderRunsMd(r.trace, options, r.timeline.window),
  page: (ctx, r) => renderTimelinePage(ctx, r.timeline),
  card: (r) =>
    overviewPanel(
      'timeline',
      'Timeline',
      `<p>${escapeHtml(formatCount(r.timeline.beats.startDelta.length))} beats across ${escapeHtml(formatCount(r.timeline.sessions.id.length))} sessions: zoom, pan, search and click a beat for its handler, DataBaton diff and errors.
The same trace also exports as Chrome Trace Event JSON for Perfetto UI and speedscope.</p>${r.timeline.window ? `<p class="note">${escapeHtml(windowNote(r.timeline.window))}.</p>` : ''}`,
    ),
});
