/**
 * The three analyses on logs made by the real conductor (the demo simulator), checked against the simulator's
 * ground truth: the slow handler, the injected failures, the drifted beat, the never-played sequences and the
 * untested handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTrace, demoTrace } from '../../test/demo/demo-trace.js';
import { analyzeCoverage } from './coverage.js';
import { validateFlows } from './flow-validation.js';
import { analyzeHandlerPerformance } from './handler-performance.js';

let demo: DemoTrace;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 2, seed: 7 });
});
afterAll(() => demo?.cleanup());

describe('heatmap on the demo app', () => {
  it('ranks the slow handler first, at the right order of magnitude', () => {
    const report = analyzeHandlerPerformance(demo.data, demo.code);
    const { slowHandler } = demo.truth;
    expect(report.slowest[0]).toMatchObject({ name: slowHandler.handler, plugin: slowHandler.pluginId });
    expect(report.summary.slowestHandler).toBe(slowHandler.handler);
    const top = report.handlers[0]!;
    expect({ name: top.name, plugin: top.plugin }).toEqual({ name: slowHandler.handler, plugin: slowHandler.pluginId });
    expect(top.timing.p95).toBeGreaterThan(slowHandler.approxMs / 3);
    expect(top.timing.p95).toBeLessThan(slowHandler.approxMs * 3);
    expect(top.sourceFile).toBe('plugins/canvas-component/src/symphonies/arrange/arrange.layout.ts');
    // A synchronous handler: the beat waited for it, so beat time ≥ handler time and the overhead is known.
    expect(top.overhead.count).toBe(top.executions);
  });

  it('counts the injected failures as errors of the failing handlers', () => {
    const report = analyzeHandlerPerformance(demo.data, demo.code);
    for (const f of demo.truth.failingHandlers) {
      const row = report.handlers.find((h) => h.name === f.handler && h.plugin === f.pluginId);
      expect(row?.errors, `${f.pluginId}.${f.handler}`).toBe(f.occurrences);
    }
  });

  it('says where every duration came from', () => {
    const report = analyzeHandlerPerformance(demo.data, demo.code);
    const n = demo.data.handlerRuns.length;
    expect(report.summary.durationSources).toEqual({
      handler: { 'performance-tracker': 0, 'beat-executor': 0, 'eventbus-trace': 0, timestamps: n, none: 0 },
      beat: { 'performance-tracker': n, 'beat-executor': 0, 'eventbus-trace': 0, timestamps: 0, none: 0 },
    });
    expect(report.summary.timedExecutions + report.summary.asyncExecutions).toBe(n);
    expect(report.matrix.rows.flatMap((r) => r.cells).reduce((sum, c) => sum + (c?.executions ?? 0), 0)).toBe(n);
  });
});

describe('flows on the demo app', () => {
  it('flags the drifted beat, the never-played sequences and the injected failures, nothing else', () => {
    const report = validateFlows(demo.data, demo.code);
    expect(report.drift).toEqual(
      demo.truth.drift.map((d) => ({
        sequenceId: d.sequenceId,
        sequenceName: 'Canvas Component Create',
        missingInRuns: d.missingInRuns,
        extraInRuns: [],
        handlerChanged: [],
        runs: demo.data.runs.filter((r) => r.sequenceId === d.sequenceId).length,
      })),
    );
    expect(report.violations.filter((v) => v.kind === 'never-run').map((v) => [v.pluginId, v.sequenceId])).toEqual(
      demo.truth.neverPlayedSequences.map((s) => [s.pluginId, s.sequenceId]),
    );
    const threw = report.violations.filter((v) => v.kind === 'handler-error').map((v) => `${v.pluginId}.${v.handler}`);
    for (const f of demo.truth.failingHandlers) {
      expect(threw.filter((t) => t === `${f.pluginId}.${f.handler}`)).toHaveLength(f.occurrences);
    }
    const occurrences = demo.truth.failingHandlers.reduce((sum, f) => sum + f.occurrences, 0);
    expect(report.summary.byKind).toEqual({
      'missing-beat': 0,
      'unexpected-event': 0,
      'order-violation': 0,
      'handler-mismatch': 0,
      'incomplete-run': 0,
      'failed-run': 0,
      'failed-beat': 0,
      'handler-error': occurrences,
      'beat-count-mismatch': 0,
      drift: demo.truth.drift.flatMap((d) => d.missingInRuns).length,
      'never-run': demo.truth.neverPlayedSequences.length,
      'orphan-subscription': 0,
      'unmounted-route': 0,
    });
  });

  it('checks from the log alone without a code index and says what it skipped', () => {
    const report = validateFlows(demo.data);
    expect(report.unchecked).toContain('drift');
    expect(report.violations.every((v) => v.kind === 'handler-error')).toBe(true);
    expect(report.summary.sequencesDefined).toBe(0);
  });
});

describe('coverage on the demo app', () => {
  it('puts every untested handler in used-but-untested or dead', () => {
    const report = analyzeCoverage(demo.data, demo.code);
    for (const u of demo.truth.untestedHandlers) {
      const row = report.handlers.find((h) => h.handler === u.handler && h.pluginId === u.pluginId);
      expect(row?.quadrant, `${u.pluginId}.${u.handler}`).toMatch(/^(used-untested|dead)$/);
      expect(row?.tests).toBe(0);
    }
    const untested = new Set(demo.truth.untestedHandlers.map((u) => `${u.pluginId}.${u.handler}`));
    const risky = report.handlers.filter((h) => h.quadrant === 'used-untested' || h.quadrant === 'dead');
    expect(risky.map((h) => `${h.pluginId}.${h.handler}`).sort()).toEqual([...untested].sort());
  });

  it('knows every handler production ran and sorts by risk', () => {
    const report = analyzeCoverage(demo.data, demo.code);
    expect(report.unknownHandlers).toEqual([]);
    const risks = report.handlers.map((h) => h.risk);
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    expect(report.summary.executions).toBe(demo.data.handlerRuns.length);
    // The drifted beat's handler never ran: defined, untested, unused.
    expect(report.handlers.find((h) => h.handler === 'enhanceLine')?.quadrant).toBe('dead');
  });
});
