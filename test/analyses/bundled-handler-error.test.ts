/**
 * End to end: an app bundled and minified with the real musical-conductor inside it (esbuild, external source
 * map) runs under Node without source-map support; its console log, where the conductor prints the failing
 * handler's stack as frames of the bundle, is ingested, and the `handler-error` finding names the handler's
 * `.ts` file, the line of its `throw` and its original name.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFindings } from '../../src/analyses/findings/findings.js';
import type { FindingsReport } from '../../src/analyses/findings/findings-types.js';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { CodeIndex } from '../../src/model/code-index.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';
import { type BundledApp, bundle, runBundleToLog, UPDATE_THROW_LINE, writeApp } from './bundled-app.js';

let app: BundledApp;
let logs: string;
let log: string;
let report: FindingsReport;
beforeAll(async () => {
  app = await writeApp();
  await bundle(app.root, 'src/conductor-main.ts', 'dist/conductor.js');
  logs = await mkdtemp(join(tmpdir(), 'beatscope-bundled-logs-'));
  runBundleToLog(app.root, 'dist/conductor.js', join(logs, 'counter.log'));
  log = await readFile(join(logs, 'counter.log'), 'utf8');
  const store = new InMemoryStore();
  await ingest([logs], { store, workers: 0 });
  const [data, files] = await Promise.all([loadTraceData(store), store.files()]);
  await store.close();
  const code: CodeIndex = { root: app.root, sequences: [], handlers: [], tests: [], topics: [], problems: [] };
  report = analyzeFindings({ data, code, files });
}, 60_000);
afterAll(async () => {
  await app?.cleanup();
  if (logs) await rm(logs, { recursive: true, force: true });
});

describe('handler-error on a bundled app', () => {
  it('names the original source of the bundle frame the conductor logged', () => {
    // The log names only the bundle: the mapping is beatscope's.
    expect(log).toMatch(/Handler execution failed for CounterPlugin\.update: Error: count 8 over the limit/);
    expect(log).toMatch(/\n\s+at \w+ \(\S*\/dist\/conductor\.js:\d+:\d+\)/);
    expect(log).not.toContain('update.ts');
    const errors = report.findings.filter((f) => f.kind === 'handler-error');
    expect(errors.map((f) => ({ handler: f.handler, frame: f.frame, file: f.file, line: f.line }))).toEqual([
      {
        handler: 'update',
        frame: { fn: 'update', file: 'src/handlers/update.ts', line: UPDATE_THROW_LINE },
        file: 'src/handlers/update.ts',
        line: UPDATE_THROW_LINE,
      },
    ]);
    expect(errors[0]!.explanation).toContain(`src/handlers/update.ts:${UPDATE_THROW_LINE}`);
  });
});
