/**
 * Every reporter on small hand-built reports: text (colours off) and Markdown compared with snapshots, JSON
 * checked as an envelope around the unchanged report, colours only when asked for.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCoverage } from '../analyses/coverage.js';
import { validateFlows } from '../analyses/flow-validation.js';
import { analyzeHandlerPerformance } from '../analyses/handler-performance.js';
import {
  beatRun,
  codeIndex,
  handlerDefinition,
  handlerRun,
  sequenceDefinition,
  sequenceRun,
  session,
  traceData,
} from '../analyses/trace-fixtures.js';
import { findReporter, formatsOf, reporters } from './registry.js';
import { renderSummaryMd } from './summary-md.js';

const perf = { durationSource: 'performance-tracker' as const };
const stamps = { durationSource: 'timestamps' as const };
const data = traceData({
  sessions: [session('s1', 0, 60_000)],
  runs: [
    sequenceRun('r1', { sequenceName: 'Load', sequenceId: 'load-symphony' }),
    sequenceRun('r2', { status: 'incomplete' }),
  ],
  beats: [
    beatRun('b1', 'r1', { event: 'load:fetch', handlers: ['fetchAll'], startMs: 1000, durationMs: 130.5, ...perf }),
    beatRun('b2', 'r1', {
      beat: 2,
      position: 2,
      event: 'load:notify',
      handlers: ['notify'],
      startMs: 1200,
      durationMs: 9,
      ...perf,
    }),
    beatRun('b3', 'r2', { event: 'load:fetch', handlers: ['fetchAll'], startMs: 40_000, durationMs: 30, ...perf }),
  ],
  handlerRuns: [
    handlerRun('h1', 'fetchAll', { beatRunId: 'b1', sequenceRunId: 'r1', settledMs: 1120, durationMs: 120, ...stamps }),
    handlerRun('h2', 'notify', { beatRunId: 'b2', sequenceRunId: 'r1', settledMs: 1204, durationMs: 4, ...stamps }),
    handlerRun('h3', 'fetchAll', {
      beatRunId: 'b3',
      sequenceRunId: 'r2',
      settledMs: 40_025,
      durationMs: 25,
      ...stamps,
    }),
    handlerRun('h4', 'persist', {
      beatRunId: 'b2',
      sequenceRunId: 'r1',
      settledMs: 1300,
      durationMs: 100,
      settledAfterBeat: true,
      ...stamps,
    }),
  ],
});
const code = codeIndex({
  sequences: [
    sequenceDefinition('load-symphony', 'Load', 'LoadPlugin', [
      ['load:fetch', 'fetchAll'],
      ['load:notify', 'notify'],
      ['load:cache', 'cacheAll'],
    ]),
    sequenceDefinition('unused-symphony', 'Unused', 'LoadPlugin', [['unused:go', 'go']]),
  ],
  handlers: [
    handlerDefinition('fetchAll', 'LoadPlugin', {
      tests: [
        { test: { file: 'load.spec.ts', line: 4, name: 'fetchAll', framework: 'vitest' }, evidence: 'import-call' },
      ],
    }),
    handlerDefinition('notify', 'LoadPlugin'),
    handlerDefinition('cacheAll', 'LoadPlugin'),
  ],
});
const heatmap = analyzeHandlerPerformance(data, code, { buckets: 6 });
const flows = validateFlows(data, code);
const coverage = analyzeCoverage(data, code);
const plain = { colors: false, generatedAt: '2026-11-21T12:00:00.000Z' };

describe('text reporters', () => {
  it('render the heatmap with the p95 scale and its legend', () => {
    expect(reporters.heatmap.text!(heatmap, plain)).toMatchSnapshot();
  });
  it('render the flow findings', () => {
    expect(reporters.flows.text!(flows, plain)).toMatchSnapshot();
  });
  it('render coverage', () => {
    expect(reporters.coverage.text!(coverage, plain)).toMatchSnapshot();
  });
  it('list handlers the log never timed by their beat time, in text and Markdown', () => {
    // As in saved consoles without DataBaton lines: beats report durations, handlers never settle.
    const untimed = analyzeHandlerPerformance(
      traceData({
        sessions: [session('s1', 0, 1000)],
        runs: [sequenceRun('r1')],
        beats: [
          beatRun('b1', 'r1', { event: 'a', handlers: ['initConfig'], startMs: 10, durationMs: 7.6, ...perf }),
          beatRun('b2', 'r1', {
            beat: 2,
            position: 2,
            event: 'b',
            handlers: ['renderView'],
            startMs: 20,
            durationMs: 10,
            ...perf,
          }),
        ],
        handlerRuns: [
          handlerRun('h1', 'initConfig', { beatRunId: 'b1', sequenceRunId: 'r1' }),
          handlerRun('h2', 'renderView', { beatRunId: 'b2', sequenceRunId: 'r1' }),
        ],
      }),
    );
    const text = reporters.heatmap.text!(untimed, plain);
    expect(text).toContain(
      [
        'Untimed handlers (no settle line), by p95 beat time',
        '  handler     plugin      runs  errors  beat p95  source',
        '  renderView  LoadPlugin     1       0        10  –',
        '  initConfig  LoadPlugin     1       0       7.6  –',
      ].join('\n'),
    );
    expect(text).toContain('  (no timed handler execution in any time bucket)');
    // Nothing to subtract from the beats: the overhead is unknown, not 0 ms.
    expect(text).toContain(' · overhead unknown (no beat has a timed handler)');
    expect(reporters.heatmap.md!(untimed, plain)).toContain(
      '### Untimed handlers (no settle line), by p95 beat time\n\n| Handler | Plugin | Runs | Beat p95 |',
    );
  });
  it('colour only when asked', () => {
    const ansi = /\u001b\[/;
    expect(reporters.heatmap.text!(heatmap, { colors: true })).toMatch(ansi);
    for (const text of [
      reporters.heatmap.text!(heatmap, plain),
      reporters.flows.text!(flows, plain),
      reporters.coverage.text!(coverage, plain),
    ]) {
      expect(text).not.toMatch(ansi);
    }
  });
});

describe('JSON reporters', () => {
  it('wrap the unchanged report in a versioned envelope', () => {
    const cases = [
      ['heatmap', reporters.heatmap.json!(heatmap, plain), heatmap],
      ['flows', reporters.flows.json!(flows, plain), flows],
      ['coverage', reporters.coverage.json!(coverage, plain), coverage],
    ] as const;
    for (const [name, json, report] of cases) {
      const { schema, version, generatedAt, ...rest } = JSON.parse(json);
      expect({ schema, version, generatedAt }).toEqual({
        schema: `beatscope/${name}`,
        version: 1,
        generatedAt: plain.generatedAt,
      });
      expect(rest).toEqual(JSON.parse(JSON.stringify(report)));
    }
  });
  it('keep the heatmap shape earlier scripts read', () => {
    const json = JSON.parse(reporters.heatmap.json!(heatmap, plain));
    expect(Object.keys(json.handlers[0])).toEqual(
      expect.arrayContaining(['name', 'plugin', 'executions', 'timing', 'totalTime', 'sourceFile', 'sourceLine']),
    );
    expect(Object.keys(json.handlers[0].timing)).toEqual(
      expect.arrayContaining(['min', 'max', 'avg', 'p50', 'p95', 'p99']),
    );
    expect(json.summary).toMatchObject({
      totalHandlers: 3,
      totalExecutions: 4,
      totalTime: 149,
      slowestHandler: 'fetchAll',
      fastestHandler: 'notify',
    });
  });
});

describe('Markdown reporters', () => {
  it('render each report and the pull-request summary', () => {
    expect(reporters.heatmap.md!(heatmap, plain)).toMatchSnapshot();
    expect(reporters.flows.md!(flows, plain)).toMatchSnapshot();
    expect(reporters.coverage.md!(coverage, plain)).toMatchSnapshot();
    expect(renderSummaryMd({ heatmap, flows, coverage })).toMatchSnapshot();
  });
});

describe('registry', () => {
  it('looks reporters up by name and format, html left to the site', () => {
    expect(findReporter('flows', 'md')).toBe(reporters.flows.md);
    expect(findReporter('timeline', 'text')).toBe(reporters.timeline.text);
    expect(findReporter('heatmap', 'html')).toBeUndefined();
    expect(formatsOf('heatmap')).toEqual(['text', 'json', 'md']);
    expect(formatsOf('timeline')).toEqual(['text', 'json', 'md']);
  });
});
