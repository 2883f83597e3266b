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
import { renderCoverageMd } from './coverage/coverage-md.js';
import { renderCoverageText } from './coverage/coverage-text.js';
import { renderFlowsMd } from './flows/flows-md.js';
import { renderFlowsText } from './flows/flows-text.js';
import { renderHeatmapMd } from './heatmap/heatmap-md.js';
import { renderHeatmapText } from './heatmap/heatmap-text.js';
import { findReport } from './registry.js';
import type { ReportInput } from './report-definition.js';
import { runReports } from './run-reports.js';
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
const input: ReportInput = { data, code, options: { heatmap: { buckets: 6 } } };
const heatmap = analyzeHandlerPerformance(data, code, { buckets: 6 });
const flows = validateFlows(data, code);
const coverage = analyzeCoverage(data, code);
const plain = { colors: false, generatedAt: '2026-11-21T12:00:00.000Z' };

/** The report's JSON as `report <name> --format json` renders it, from the registry's definition. */
function json(name: string, _report: object, options: typeof plain): string {
  const report = findReport(name);
  if (!report) throw new Error(`no report ${name}`);
  return report.run(input).render('json', options);
}

describe('text reporters', () => {
  it('render the heatmap with the p95 scale and its legend', () => {
    expect(renderHeatmapText(heatmap, plain)).toMatchSnapshot();
  });
  it('render the flow findings', () => {
    expect(renderFlowsText(flows, plain)).toMatchSnapshot();
  });
  it('render coverage', () => {
    expect(renderCoverageText(coverage, plain)).toMatchSnapshot();
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
    const text = renderHeatmapText(untimed, plain);
    expect(text).toContain(
      [
        'Untimed handlers (no settle line), by p95 beat time',
        '  handler     plugin      runs  errors  beat p95  source',
        '  renderView  LoadPlugin     1       0        10  —',
        '  initConfig  LoadPlugin     1       0       7.6  —',
      ].join('\n'),
    );
    expect(text).toContain('  (no timed handler execution in any time bucket)');
    // Nothing to subtract from the beats: the overhead is unknown, not 0 ms.
    expect(text).toContain(' · overhead unknown (no beat has a timed handler)');
    expect(renderHeatmapMd(untimed, plain)).toContain(
      '### Untimed handlers (no settle line), by p95 beat time\n\n| Handler | Plugin | Runs | Beat p95 |',
    );
  });
  it('colour only when asked', () => {
    const ansi = /\u001b\[/;
    expect(renderHeatmapText(heatmap, { colors: true })).toMatch(ansi);
    for (const text of [
      renderHeatmapText(heatmap, plain),
      renderFlowsText(flows, plain),
      renderCoverageText(coverage, plain),
    ]) {
      expect(text).not.toMatch(ansi);
    }
  });
});

describe('JSON reporters', () => {
  it('wrap the unchanged report in a versioned envelope', () => {
    const cases = [
      // heatmap v2: per-handler histogram and p95 per session added.
      ['heatmap', 2, json('heatmap', heatmap, plain), heatmap],
      ['flows', 1, json('flows', flows, plain), flows],
      ['coverage', 1, json('coverage', coverage, plain), coverage],
    ] as const;
    for (const [name, expectedVersion, json, report] of cases) {
      const { schema, version, generatedAt, ...rest } = JSON.parse(json);
      expect({ schema, version, generatedAt }).toEqual({
        schema: `beatscope/${name}`,
        version: expectedVersion,
        generatedAt: plain.generatedAt,
      });
      expect(rest).toEqual(JSON.parse(JSON.stringify(report)));
    }
  });
  it('keep the heatmap shape earlier scripts read', () => {
    const report = JSON.parse(json('heatmap', heatmap, plain));
    expect(Object.keys(report.handlers[0])).toEqual(
      expect.arrayContaining(['name', 'plugin', 'executions', 'timing', 'totalTime', 'sourceFile', 'sourceLine']),
    );
    expect(Object.keys(report.handlers[0].timing)).toEqual(
      expect.arrayContaining(['min', 'max', 'avg', 'p50', 'p95', 'p99']),
    );
    expect(report.summary).toMatchObject({
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
    expect(renderHeatmapMd(heatmap, plain)).toMatchSnapshot();
    expect(renderFlowsMd(flows, plain)).toMatchSnapshot();
    expect(renderCoverageMd(coverage, plain)).toMatchSnapshot();
    expect(renderSummaryMd(runReports(input))).toMatchSnapshot();
  });
});

describe('registry', () => {
  it('looks reports up by name, with the formats each renders', () => {
    expect(findReport('flows')?.formats).toEqual(['text', 'json', 'md', 'html']);
    expect(findReport('timeline')?.formats).toEqual(['text', 'json', 'md', 'html']);
    expect(findReport('flows')?.failKinds).toContain('missing-beat');
    expect(findReport('heatmap')?.failKinds).toEqual([]);
    expect(findReport('nope')).toBeUndefined();
  });
});

describe('Markdown with hostile names from the log', () => {
  const HANDLER = 'evil|`x`<img src=x onerror=alert(1)>\nnext';
  const SEQUENCE = 'Seq | **bold** <b>';
  const hostile = traceData({
    sessions: [session('s1', 0, 60_000)],
    runs: [sequenceRun('r1', { sequenceName: SEQUENCE, sequenceId: 'seq|id' })],
    beats: [beatRun('b1', 'r1', { event: 'e:x', handlers: [HANDLER], startMs: 1000, durationMs: 30, ...perf })],
    handlerRuns: [
      handlerRun('h1', HANDLER, { beatRunId: 'b1', sequenceRunId: 'r1', settledMs: 1020, durationMs: 20, ...stamps }),
    ],
  });
  const hostileInput: ReportInput = { data: hostile, code: undefined };
  /** A table row is broken when its count of unescaped pipes differs from its header's. */
  function brokenRows(md: string): string[] {
    const lines = md.split('\n');
    const broken: string[] = [];
    let cells = -1;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        cells = -1;
        continue;
      }
      const n = (line.match(/(?<!\\)\|/g) ?? []).length;
      if (cells === -1) cells = n;
      else if (n !== cells) broken.push(line);
    }
    return broken;
  }
  for (const name of ['heatmap', 'flows', 'timeline']) {
    it(`${name}: names stay in their cell, on one line, and never become HTML`, () => {
      const md = findReport(name)?.run(hostileInput).render('md', plain) ?? '';
      expect(md).not.toBe('');
      expect(brokenRows(md)).toEqual([]);
      expect(md).not.toMatch(/(?<![`\\])<(img|b)\b/);
      expect(md).not.toMatch(/^next/m);
    });
  }
  it('summary.md keeps the handler in one code span', () => {
    const md = renderSummaryMd(runReports(hostileInput));
    expect(md).toContain('| ``evil\\|`x`<img src=x onerror=alert(1)> next`` | LoadPlugin |');
    expect(brokenRows(md)).toEqual([]);
  });
});
