/**
 * `beatscope analyze --baseline <file>` on logs the simulator made with the real musical-conductor: the comparison
 * lands in the site (a page, its nav entry and overview panel), in compare.json and in summary.md; a bad baseline
 * is exit 2 before anything is ingested or written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baseline } from '../../src/analyses/regressions/baseline-types.js';
import type { CompareReport } from '../../src/analyses/regressions/compare-types.js';
import { simulate } from '../../src/simulate/simulate.js';
import { beatscope } from './run-beatscope.js';

const dir = mkdtempSync(join(tmpdir(), 'beatscope-analyze-baseline-'));
const logs = join(dir, 'logs');
let tenth: string;

beforeAll(async () => {
  await simulate({ outDir: logs, sessions: 10, seed: 62 });
  const db = join(dir, 'base.duckdb');
  expect(beatscope('ingest', logs, '--db', db).code).toBe(0);
  const path = join(dir, 'perf-baseline.json');
  expect(beatscope('baseline', '--db', db, '--out', path).code).toBe(0);
  // The same release with every handler time cut to a tenth: against it, the logs are 10× slower. Ten sessions give
  // the handlers the demo plays most the 20 timed runs a side that compare tests at least.
  const base: Baseline = JSON.parse(readFileSync(path, 'utf8'));
  tenth = join(dir, 'tenth.json');
  writeFileSync(
    tenth,
    JSON.stringify({ ...base, handlers: base.handlers.map((e) => ({ ...e, timesMs: e.timesMs.map((t) => t / 10) })) }),
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('beatscope analyze --baseline', () => {
  it('adds the comparison to the site, compare.json and summary.md', () => {
    const out = join(dir, 'site');
    const r = beatscope('analyze', logs, '--db', join(dir, 'a.duckdb'), '--baseline', tenth, '--out', out);
    expect(r.code, r.err).toBe(0);
    const report: CompareReport = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(report).toMatchObject({ schema: 'beatscope/compare', version: 1 });
    expect(report.regressions.length).toBeGreaterThan(0);
    expect(r.out).toContain(`baseline: ${report.summary.regressions} slower`);
    const page = readFileSync(join(out, 'compare.html'), 'utf8');
    expect(page).toContain('<h1>Against the baseline</h1>');
    expect(page).toContain(`<strong>${report.summary.regressions} slower</strong>`);
    expect(page.match(/<tr>/g)?.length).toBeGreaterThanOrEqual(report.regressions.length + report.improvements.length);
    // Every page's nav reaches it; the overview has its panel.
    expect(readFileSync(join(out, 'heatmap.html'), 'utf8')).toContain('<a href="compare.html">Baseline</a>');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<a href="compare.html">Against the baseline</a>');
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('## ⚠️ beatscope: handler performance against the baseline');
    expect(summary).toContain(`**${report.summary.regressions} slower**`);
  });

  it('without --baseline: no comparison page', () => {
    const out = join(dir, 'plain');
    expect(beatscope('analyze', logs, '--db', join(dir, 'b.duckdb'), '--out', out).code).toBe(0);
    expect(existsSync(join(out, 'compare.html'))).toBe(false);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).not.toContain('compare.html');
  });

  it('a corrupt or missing baseline: exit 2, nothing ingested or written', () => {
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"schema": "beatscope/baseline", "vers');
    for (const [path, message] of [
      [corrupt, /not valid JSON/],
      [join(dir, 'missing.json'), /cannot read the baseline/],
    ] as const) {
      const out = join(dir, 'never');
      const db = join(dir, 'never.duckdb');
      const r = beatscope('analyze', logs, '--db', db, '--baseline', path, '--out', out);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(db)).toBe(false);
    }
  });
});
