/**
 * `beatscope baseline` and `beatscope compare` on logs the simulator made with the real musical-conductor: the
 * baseline file's shape, a release compared with itself (nothing flagged), with a baseline whose times were
 * cut to a tenth (tested handlers 10× slower: exit 1 under --fail-on) and bad inputs (exit 2, nothing written).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../src/analyses/regressions/baseline-types.js';
import type { CompareReport } from '../../src/analyses/regressions/compare-types.js';
import { simulate } from '../../src/simulate/simulate.js';
import { beatscope } from './run-beatscope.js';

const dir = mkdtempSync(join(tmpdir(), 'beatscope-compare-'));
const db = join(dir, 'store.duckdb');
const baselinePath = join(dir, 'perf-baseline.json');
let baseline: Baseline;

beforeAll(async () => {
  await simulate({ outDir: join(dir, 'logs'), sessions: 3, seed: 61 });
  expect(beatscope('ingest', join(dir, 'logs'), '--db', db).code).toBe(0);
  const r = beatscope('baseline', '--db', db, '--out', baselinePath);
  expect(r.code, r.err).toBe(0);
  baseline = JSON.parse(readFileSync(baselinePath, 'utf8'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};

describe('beatscope baseline', () => {
  it('writes a versioned file with every handler run counted once per handler', () => {
    expect(baseline).toMatchObject({ schema: 'beatscope/baseline', version: 1 });
    const perHandler = baseline.handlers.filter((e) => e.sequence === null);
    expect(perHandler.length).toBeGreaterThan(20);
    expect(perHandler.reduce((n, e) => n + e.executions, 0)).toBe(baseline.source.handlerRuns);
    const sql = beatscope('sql', 'select count(*) as n from handler_runs', '--db', db, '--json');
    expect(JSON.parse(sql.out).rows[0].n).toBe(baseline.source.handlerRuns);
    for (const e of baseline.handlers) {
      expect(e.timesMs.length).toBe(Math.min(e.timedExecutions, 256));
      expect(e.timesMs).toEqual([...e.timesMs].sort((a, b) => a - b));
      expect(e.timedExecutions + e.settledAfterBeat).toBeLessThanOrEqual(e.executions);
    }
    // Sequence entries split the handler entries: their executions add up.
    for (const h of perHandler) {
      const parts = baseline.handlers.filter(
        (e) => e.sequence !== null && e.plugin === h.plugin && e.handler === h.handler,
      );
      expect(parts.reduce((n, e) => n + e.executions, 0)).toBe(h.executions);
    }
    expect(baseline.sequences.length).toBeGreaterThan(5);
  });
});

describe('beatscope compare', () => {
  it('a release against its own baseline: nothing flagged, exit 0 under --fail-on', () => {
    const r = beatscope(
      'compare',
      baselinePath,
      '--db',
      db,
      '--format',
      'json',
      '--min-samples',
      '5',
      '--fail-on',
      'regression,new-error,error-rate,structural',
    );
    expect(r.code, r.err).toBe(0);
    const report: CompareReport = JSON.parse(r.out);
    expect(report).toMatchObject({
      schema: 'beatscope/compare',
      version: 1,
      regressions: [],
      improvements: [],
      newErrors: [],
      structural: [],
    });
    const testable = baseline.handlers.filter((e) => e.timedExecutions >= 5);
    expect(report.summary.tested).toBeGreaterThan(0);
    expect(report.summary.tested).toBeLessThanOrEqual(testable.length);
    expect(report.compared.every((c) => c.change === 0 && c.pValue === 1)).toBe(true);
  });

  it('against a baseline with times cut to a tenth: tested handlers are 10× slower, exit 1; md and junit say so', () => {
    const faster = {
      ...baseline,
      handlers: baseline.handlers.map((e) => ({ ...e, timesMs: e.timesMs.map((t) => t / 10) })),
    };
    const path = write('tenth.json', faster);
    const r = beatscope(
      'compare',
      path,
      '--db',
      db,
      '--format',
      'json',
      '--min-samples',
      '5',
      '--fail-on',
      'regression',
    );
    expect(r.code).toBe(1);
    const report: CompareReport = JSON.parse(r.out);
    expect(report.regressions.length).toBeGreaterThan(0);
    for (const c of report.regressions) {
      // 9 (= 10× − 1) unless the baseline's trimmed mean fell under the 1 ms floor of the relative change.
      expect(c.change).toBeGreaterThan(c.minChange);
      expect(c.change).toBeLessThanOrEqual(9.001);
      // Both p50s are rounded to 0.01 ms, the baseline's after the division, and the file's times are too.
      expect(Math.abs(c.candidate.p50 - 10 * c.baseline.p50)).toBeLessThanOrEqual(0.061);
    }
    const md = beatscope('compare', path, '--db', db, '--format', 'md', '--min-samples', '5');
    expect(md.code).toBe(0);
    expect(md.out).toContain(`**${report.summary.regressions} slower**`);
    const junit = beatscope('compare', path, '--db', db, '--format', 'junit', '--min-samples', '5');
    const cases = junit.out.match(/<testcase /g)?.length;
    expect(cases).toBe(report.compared.length + report.insufficient.length);
    expect(junit.out.match(/<failure type="regression"/g)?.length).toBe(report.regressions.length);
    // Every handler moved alike: the release-wide factor says 10×, and --normalize leaves no handler regressed.
    expect(report.releaseShift.factor).toBeGreaterThan(8);
    const normalized = beatscope(
      'compare',
      path,
      '--db',
      db,
      '--format',
      'json',
      '--min-samples',
      '5',
      '--normalize',
      '--fail-on',
      'regression',
    );
    expect(normalized.code).toBe(0);
    expect(JSON.parse(normalized.out)).toMatchObject({ options: { normalize: true }, regressions: [] });
  });

  it('new error signatures, changed beats and vanished handlers: listed, exit 1 under --fail-on', () => {
    const failing = baseline.handlers.find((e) => e.sequence === null && e.errorSignatures.length > 0);
    expect(failing, 'the scenario throws in some handler').toBeDefined();
    const seq = baseline.sequences.find((s) => s.beats.length >= 2)!;
    const ghost = { ...failing!, handler: 'ghostHandler', executions: 30, errors: 0, errorSignatures: [] };
    const edited = {
      ...baseline,
      handlers: [
        ...baseline.handlers.map((e) => (e === failing ? { ...e, errors: 0, errorSignatures: [] } : e)),
        ghost,
      ],
      sequences: baseline.sequences.map((s) => (s === seq ? { ...s, beats: s.beats.slice(1) } : s)),
    };
    const path = write('edited.json', edited);
    const r = beatscope('compare', path, '--db', db, '--format', 'json', '--fail-on', 'new-error');
    expect(r.code, r.err).toBe(1);
    const report: CompareReport = JSON.parse(r.out);
    expect(report.newErrors).toEqual(
      failing!.errorSignatures.map((s) => ({
        plugin: failing!.plugin,
        handler: failing!.handler,
        signature: s.signature,
        count: s.count,
        rate: Math.round((s.count / failing!.executions) * 10_000) / 10_000,
      })),
    );
    expect(report.structural).toEqual([
      expect.objectContaining({ kind: 'handler-vanished', plugin: failing!.plugin, handler: 'ghostHandler' }),
      expect.objectContaining({ kind: 'beats-changed', sequence: seq.sequence, added: [seq.beats[0]], removed: [] }),
    ]);
    expect(beatscope('compare', path, '--db', db, '--fail-on', 'regression').code).toBe(0);
    expect(beatscope('compare', path, '--db', db, '--fail-on', 'structural').code).toBe(1);
  });

  it('bad baselines: corrupt, unknown version, another app: exit 2 and nothing written', () => {
    const out = join(dir, 'never.md');
    const cases: Array<[string, RegExp]> = [
      [write('corrupt.json', '{"schema": "beatscope/baseline", "vers'), /not valid JSON/],
      [write('future.json', { ...baseline, version: 99 }), /baseline version 99; this beatscope reads version 1/],
      [
        write('other.json', {
          ...baseline,
          handlers: baseline.handlers.map((e) => ({ ...e, handler: `other${e.handler}` })),
        }),
        /no plugin × handler in common/,
      ],
      [write('not-a-baseline.json', { schema: 'beatscope/heatmap', version: 1 }), /not a beatscope baseline/],
    ];
    for (const [path, message] of cases) {
      const r = beatscope('compare', path, '--db', db, '--format', 'md', '--out', out);
      expect(r.code, path).toBe(2);
      expect(r.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
