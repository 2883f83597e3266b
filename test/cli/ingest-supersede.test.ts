/**
 * `beatscope ingest` on a console saved twice, run as the built binary: the JSON names the file that
 * supersedes and the one superseded, and the text says it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runBeatscope } from './run-beatscope.js';

const LOG = readFileSync(join(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log'));

describe('beatscope ingest: a console saved twice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-saved-twice-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const early = join(dir, 'console-10h00.log');
  const late = join(dir, 'console-10h30.log');
  writeFileSync(early, LOG.subarray(0, LOG.indexOf('\n', LOG.length >> 1) + 1));
  writeFileSync(late, LOG);
  const json = (args: string[]) => {
    const r = runBeatscope([...args, '--json']);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as { outcomes: Record<string, unknown>[] };
  };
  const runs = (db: string) => JSON.parse(runBeatscope(['summary', '--json', '--db', db]).out).sequenceRuns;

  it('the later save names the earlier one it supersedes; the sequence runs are those of the later alone', () => {
    const alone = join(dir, 'alone.duckdb');
    json(['ingest', late, '--db', alone]);
    const db = join(dir, 'in-order.duckdb');
    json(['ingest', early, '--db', db]);
    const second = json(['ingest', late, '--db', db]).outcomes;
    expect(second).toMatchObject([{ path: late, status: 'ingested', supersedes: [early] }]);
    expect(second[0]).not.toHaveProperty('supersededBy');
    expect(runs(db)).toBe(runs(alone));
    const textDb = join(dir, 'in-order-text.duckdb');
    json(['ingest', early, '--db', textDb]);
    const text = runBeatscope(['ingest', late, '--db', textDb]);
    expect(text.code).toBe(0);
    expect(text.out.replaceAll(dir, '<tmp>')).toMatch(
      /^ingested {2}<tmp>\/console-10h30\.log {2}\(chrome-console, [\d,]+ lines, \d+ unknown\)\n {4}supersedes <tmp>\/console-10h00\.log \(an earlier save of the same log\)$/m,
    );
  });

  it('the earlier save ingested after the later is superseded, in JSON and in text', () => {
    const db = join(dir, 'reversed.duckdb');
    json(['ingest', late, '--db', db]);
    const second = json(['ingest', early, '--db', db]).outcomes;
    expect(second).toEqual([
      { path: early, status: 'superseded', fileId: expect.any(String), supersededBy: late, diagnostics: [] },
    ]);
    const text = runBeatscope(['ingest', early, late, '--db', db]);
    expect(text.code).toBe(0);
    expect(text.out.replaceAll(dir, '<tmp>')).toContain(
      'superseded <tmp>/console-10h00.log  (an earlier save of <tmp>/console-10h30.log)',
    );
    expect(text.out).toMatch(/0 ingested, 1 unchanged, 0 duplicate, 1 superseded, 0 failed/);
  });
});
