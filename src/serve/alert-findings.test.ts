/**
 * `finding` alert rules on a real DuckDB store fed by `LiveIngest`, with logs made by the real conductor (the demo
 * simulator with injected handler errors): after each round the rule fires once per finding of its kinds — the
 * same findings `report findings` computes from a one-shot ingest of the same lines — and later rounds that still
 * show a finding fire nothing again; rounds that store nothing and timer evaluations fire nothing;
 * `minCount` holds back findings with fewer occurrences. The rules file refuses unknown kinds.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFindings } from '../analyses/findings/findings.js';
import type { Finding } from '../analyses/findings/findings-types.js';
import { loadTraceData } from '../analyses/trace-data.js';
import { ingest } from '../ingest/ingest.js';
import { demoAppDir } from '../simulate/demo-app-dir.js';
import { simulate } from '../simulate/simulate.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { AlertEngine, type AlertEvent } from './alert-engine.js';
import { parseAlertRules } from './alert-rules.js';
import { LiveIngest } from './live-ingest.js';

let dir: string;
let sessions: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-alert-findings-'));
  await simulate({
    appDir: demoAppDir(),
    outDir: join(dir, 'logs'),
    sessions: 2,
    seed: 9,
    faults: { errors: 2, faultFreeSessions: [0] },
  });
  const logs = (await readdir(join(dir, 'logs'))).filter((f) => f.endsWith('.log')).sort();
  sessions = await Promise.all(logs.map((f) => readFile(join(dir, 'logs', f), 'utf8')));
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The findings `report findings` gives for a one-shot ingest of `files` (no code index). */
async function reference(files: Record<string, string>): Promise<readonly Finding[]> {
  const folder = await mkdtemp(join(dir, 'ref-'));
  const paths = await Promise.all(
    Object.entries(files).map(async ([name, text]) => {
      await writeFile(join(folder, name), text);
      return join(folder, name);
    }),
  );
  const store = await DuckDbStore.open(':memory:');
  try {
    await ingest(paths, { store, workers: 0 });
    return analyzeFindings({ data: await loadTraceData(store), files: await store.files() }).findings;
  } finally {
    await store.close();
  }
}

describe('finding alert rules', () => {
  it('fire once per finding of their kinds after each round, as report findings lists them', async () => {
    const rules = parseAlertRules(
      JSON.stringify({
        schema: 'beatscope/alert-rules',
        version: 1,
        rules: [
          { id: 'errors', kind: 'finding', kinds: ['handler-error', 'error-burst'] },
          { id: 'any-error', kind: 'finding', kinds: ['error'] },
          { id: 'repeated-error', kind: 'finding', kinds: ['error'], minCount: 2 },
        ],
      }),
    );
    const spool = join(dir, 'spool');
    await mkdir(spool);
    const store = await DuckDbStore.open(join(dir, 'live.duckdb'));
    const live = new LiveIngest(store, spool);
    await live.init();
    const engine = new AlertEngine({ rules, store });
    const events: AlertEvent[] = [];
    engine.onAlert((e) => events.push(e));
    engine.follow(live, (error) => {
      throw error;
    });
    const firing = (rule: string) =>
      events
        .filter((e) => e.rule === rule && e.state === 'firing')
        .map((e) => e.subject)
        .sort();
    try {
      // The store is empty: the first evaluation finds nothing.
      expect(await engine.evaluate()).toEqual([]);

      // The fault-free session, then the one with injected errors.
      await live.postLines('app', sessions[0]!);
      await engine.settled();
      const clean = await reference({ 'app.log': sessions[0]! });
      const cleanIds = (kinds: string[], min = 1) =>
        clean
          .filter((f) => kinds.includes(f.kind) && f.count >= min)
          .map((f) => f.id)
          .sort();
      expect(firing('errors')).toEqual(cleanIds(['handler-error', 'error-burst']));

      // The session with injected errors, in two posts cut in its middle.
      const lines = sessions[1]!.split('\n').slice(0, -1);
      const half = `${lines.slice(0, lines.length / 2).join('\n')}\n`;
      const rest = `${lines.slice(lines.length / 2).join('\n')}\n`;
      const open = (rule: string) =>
        engine
          .openAlerts()
          .filter((a) => a.rule === rule)
          .map((a) => a.subject)
          .sort();
      const ids = (findings: readonly Finding[], keep: (f: Finding) => boolean) =>
        findings
          .filter(keep)
          .map((f) => f.id)
          .sort();
      const isError = (f: Finding) => f.kind === 'handler-error' || f.kind === 'error-burst';
      let both: readonly Finding[] = [];
      for (const [i, text] of [half, rest].entries()) {
        await live.postLines('app', text);
        await engine.settled();
        both = await reference({ 'app.log': sessions[0]! + (i === 0 ? half : half + rest) });
        expect(open('errors')).toEqual(ids(both, isError));
        expect(open('any-error')).toEqual(ids(both, (f) => f.severity === 'error'));
        expect(open('repeated-error')).toEqual(ids(both, (f) => f.severity === 'error' && f.count >= 2));
      }
      const errorIds = ids(both, isError);
      // The injected errors are found (each once: 'repeated-error' holds them back).
      expect(errorIds.length).toBeGreaterThan(0);
      expect(both.filter(isError).every((f) => f.count === 1)).toBe(true);
      expect(open('repeated-error')).toEqual([]);
      // Once per incident: no finding fired twice.
      for (const rule of ['errors', 'any-error', 'repeated-error'])
        expect(new Set(firing(rule)).size).toBe(firing(rule).length);
      const alert = events.find((e) => e.rule === 'errors' && e.subject === errorIds[0])!;
      const finding = both.find((f) => f.id === errorIds[0])!;
      expect(alert).toMatchObject({
        schema: 'beatscope/alert',
        version: 1,
        state: 'firing',
        kind: 'finding',
        threshold: 1,
        finding: { id: finding.id, kind: finding.kind, severity: finding.severity, title: finding.title },
      });

      // A round that stores nothing new (the spool file unchanged) and a timer evaluation change no alert.
      const before = events.length;
      const unchanged = await live.ingestFiles([join(spool, 'app.log')]);
      expect(unchanged.outcomes.map((o) => o.status)).toEqual(['unchanged']);
      await engine.settled();
      expect(await engine.evaluate()).toEqual([]);
      expect(events).toHaveLength(before);
    } finally {
      await live.idle();
      await engine.settled();
      await store.close();
    }
  }, 120_000);

  it('refuses a finding rule without kinds or with an unknown kind', () => {
    const parse = (rule: object) => () =>
      parseAlertRules(JSON.stringify({ schema: 'beatscope/alert-rules', version: 1, rules: [rule] }));
    expect(parse({ id: 'f', kind: 'finding' })).toThrow(
      'rules[0] (f): "kinds" must be a non-empty array of finding kinds or severities',
    );
    expect(parse({ id: 'f', kind: 'finding', kinds: ['handler-eror'] })).toThrow(
      /^rules\[0\] \(f\): "kinds": "handler-eror" is not one of error, warning, note, handler-error, /,
    );
    expect(parse({ id: 'f', kind: 'finding', kinds: ['drift'], minCount: 0 })).toThrow(
      'rules[0] (f): "minCount" must be an integer ≥ 1',
    );
  });
});
