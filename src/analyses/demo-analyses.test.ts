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
import { percentile, roundMs } from './percentile.js';

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

  it('bins each handler time once and gives one p95 per session it ran in, sessions by start time', () => {
    const report = analyzeHandlerPerformance(demo.data, demo.code);
    const sessions = [...demo.data.sessions].sort((a, b) => a.startMs! - b.startMs!);
    expect(sessions).toHaveLength(2);
    let multiSession = 0;
    for (const h of report.handlers) {
      const label = `${h.plugin}.${h.name}`;
      const mine = demo.data.handlerRuns.filter((r) => r.handler === h.name && r.pluginId === h.plugin);
      const timed = mine.filter((r) => !r.settledAfterBeat && r.durationMs !== null).map((r) => r.durationMs!);
      expect(
        h.histogram.reduce((sum, b) => sum + b.count, 0),
        label,
      ).toBe(h.timedExecutions);
      expect(timed, label).toHaveLength(h.timedExecutions);
      // Each bin holds exactly the times within its edges; the bins tile one range from the fastest to the slowest.
      for (const b of h.histogram) {
        expect(b.count, `${label} [${b.fromMs}, ${b.toMs})`).toBe(
          timed.filter((t) => t >= b.fromMs && t < b.toMs).length,
        );
      }
      for (let i = 1; i < h.histogram.length; i++) expect(h.histogram[i]!.fromMs).toBe(h.histogram[i - 1]!.toMs);
      if (timed.length > 0) {
        expect(h.histogram[0]!.count).toBeGreaterThan(0);
        expect(h.histogram.at(-1)!.count).toBeGreaterThan(0);
      }
      const ranIn = sessions.filter((s) => mine.some((r) => r.sessionId === s.id));
      expect(
        h.p95BySession.map((p) => p.sessionId),
        label,
      ).toEqual(ranIn.map((s) => s.id));
      for (const point of h.p95BySession) {
        const runs = mine.filter((r) => r.sessionId === point.sessionId);
        const times = runs
          .filter((r) => !r.settledAfterBeat && r.durationMs !== null)
          .map((r) => r.durationMs!)
          .sort((a, b) => a - b);
        const p95 = percentile(times, 0.95);
        expect(point, label).toEqual({
          sessionId: point.sessionId,
          startMs: sessions.find((s) => s.id === point.sessionId)!.startMs,
          executions: runs.length,
          timedExecutions: times.length,
          p95: p95 === null ? null : roundMs(p95),
        });
      }
      if (h.p95BySession.filter((p) => p.p95 !== null).length === 2) multiSession++;
    }
    // The demo's handlers run in both app starts: the line has two points for most of them.
    expect(multiSession).toBeGreaterThan(report.handlers.length / 2);
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
