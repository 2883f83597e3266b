/**
 * `report graph` and `report state` through the built binary on a real RenderX console: the dot and mermaid
 * formats, `report state <key>` narrowing to one key, and a key given to another report refused with exit 2.
 * `npm test` builds dist/ first.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { beatscope, ROOT } from './run-beatscope.js';

const LOG = resolve(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log');
const dir = mkdtempSync(join(tmpdir(), 'beatscope-graph-cli-'));
const db = join(dir, 'store.duckdb');

beforeAll(() => {
  expect(beatscope('ingest', LOG, '--db', db).code).toBe(0);
}, 60_000);

describe('report graph and report state', () => {
  it('prints the graph as DOT and as Mermaid', () => {
    const dot = beatscope('report', 'graph', '--db', db, '--format', 'dot');
    expect(dot.code).toBe(0);
    expect(dot.out).toMatch(/^digraph beatscope \{\n/);
    expect(dot.out).toContain('"handler:ControlPanelPlugin/initResolver" -> "key:resolver"');
    const mermaid = beatscope('report', 'graph', '--db', db, '--format', 'mermaid');
    expect(mermaid.code).toBe(0);
    expect(mermaid.out).toMatch(/^flowchart LR\n/);
    const json = JSON.parse(beatscope('report', 'graph', '--db', db, '--format', 'json').out);
    expect(json).toMatchObject({ schema: 'beatscope/graph', version: 1 });
    expect(
      json.edges.find((e: { kind: string; key: string }) => e.kind === 'data' && e.key === 'resolver'),
    ).toMatchObject({
      from: 'handler:ControlPanelPlugin/initResolver',
      to: 'key:resolver',
    });
  });

  it('narrows the state report to one key', () => {
    const r = beatscope('report', 'state', 'resolver', '--db', db, '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ schema: 'beatscope/state', version: 1, key: 'resolver' });
    expect(json.keys.map((k: { key: string }) => k.key)).toEqual(['resolver']);
    expect(json.keys[0].writers[0]).toMatchObject({ plugin: 'ControlPanelPlugin', handler: 'initResolver' });
  });

  it('lists one request’s DataBaton changes beat by beat, with the log line of each', () => {
    const req = 'control-panel-ui-init-symphony-1761945322375-2h54kylvp';
    const json = JSON.parse(beatscope('report', 'state', '--request', req, '--db', db, '--format', 'json').out);
    expect(json.request.requestId).toBe(req);
    expect(
      json.request.steps.map((s: { logLine: number; handler: string; added: string[]; updated: string[] }) => [
        s.logLine,
        s.handler,
        [...s.added, ...s.updated.map((k) => `~${k}`)].join(' '),
      ]),
    ).toEqual([
      [83, 'initConfig', 'configLoaded'],
      [102, 'initResolver', 'resolver resolverInitialized'],
      [114, 'initResolver', '~resolver'],
    ]);
    expect(json.request.steps[0].logFile).toBe(LOG);
    const text = beatscope('report', 'state', '--request', req, '--db', db).out;
    expect(text).toContain(`Request ${req}: 3 DataBaton lines`);
    expect(text).toContain(`${LOG}:114`);
  });

  it('refuses a key for another report, and a format the report lacks, with exit 2', () => {
    const request = beatscope('report', 'heatmap', '--request', 'r1', '--db', db);
    expect(request.code).toBe(2);
    expect(request.err).toContain('the heatmap report has no --request option');
    const key = beatscope('report', 'heatmap', 'resolver', '--db', db);
    expect(key.code).toBe(2);
    expect(key.err).toContain('the heatmap report takes no argument "resolver"');
    const format = beatscope('report', 'state', '--db', db, '--format', 'dot');
    expect(format.code).toBe(2);
    expect(format.err).toContain('the state report has no dot format');
  });
});
