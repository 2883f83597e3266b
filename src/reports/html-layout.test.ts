import { describe, expect, it } from 'vitest';
import type { FlowReport, Violation } from '../analyses/flow-types.js';
import { buildTimeline } from '../analyses/timeline.js';
import { traceData } from '../analyses/trace-fixtures.js';
import { renderFlowsPage } from './flows/html-flows.js';
import { escapeHtml, jsonForScript, type PageContext, renderPage } from './html-layout.js';
import { TimelineIndex } from './timeline-index.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const ctx: PageContext = {
  sourceLabel: IMG,
  generatedAt: 'now',
  nav: [
    { id: 'index', title: 'Overview' },
    { id: 'flows', title: 'Flows' },
    { id: 'timeline', title: 'Timeline' },
  ],
  pages: new Set(['index', 'flows', 'timeline']),
};

describe('escaping', () => {
  it('escapes text and attribute values', () => {
    expect(escapeHtml(SCRIPT)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeHtml(IMG)).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml("it's & <b>")).toBe('it&#39;s &amp; &lt;b&gt;');
  });

  it('makes JSON safe inside a script element and keeps its value', () => {
    const value = { a: `</script>${SCRIPT}<!--`, b: 'line\u2028sep\u2029&' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('renders log text as text in the page shell and in report pages', () => {
    const html = renderPage(ctx, { id: 'index', title: SCRIPT, body: '' });
    expect(html).not.toContain(SCRIPT);
    expect(html).not.toContain('<img');
    const violation: Violation = {
      kind: 'handler-error',
      severity: 'error',
      message: `${SCRIPT} threw ${IMG}`,
      sequenceId: null,
      sequenceName: SCRIPT,
      pluginId: null,
      sessionId: null,
      runId: IMG,
      beatRunId: null,
      beat: 1,
      event: IMG,
      handler: SCRIPT,
    };
    const byKind = Object.fromEntries(['handler-error'].map((k) => [k, 1])) as FlowReport['summary']['byKind'];
    const flows: FlowReport = {
      codeIndex: false,
      unchecked: [],
      notes: [IMG],
      summary: {
        sequenceRuns: 1,
        conformingRuns: 0,
        fitness: 0,
        sequencesDefined: 0,
        sequencesRun: 1,
        violations: 1,
        byKind,
      },
      sequences: [
        {
          sequenceId: IMG,
          sequenceName: SCRIPT,
          pluginId: IMG,
          defined: false,
          mounted: true,
          runs: 1,
          conformingRuns: 0,
          fitness: 0,
          violations: { 'handler-error': 1 },
        },
      ],
      drift: [],
      violations: [violation],
    };
    const empty = buildTimeline(traceData({}));
    const page = renderFlowsPage(ctx, flows, new TimelineIndex(empty));
    expect(page).not.toContain(SCRIPT);
    expect(page).not.toContain('<img');
    expect(page).toContain(escapeHtml(SCRIPT));
  });
});
