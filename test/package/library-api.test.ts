/**
 * The library as users get it: `npm pack` the built package, install the tarball into an empty project and
 * run a script there that imports `beatscope` by name — ingest a real console, analyse it, render every report,
 * export both trace formats. Proves the `exports` entry, the shipped `.d.ts` and the runtime dependencies.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportNames } from '../../src/reports/registry.js';

const ROOT = resolve(import.meta.dirname, '../..');
const LOG = join(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log');

const SCRIPT = `
import { readFileSync } from 'node:fs';
import {
  analyzeStore, ingest, InMemoryStore, openStore, reportNames, toChromeTrace, toSpeedscope, loadTraceData,
  writeReportBundle, indexCodebase, findCode,
} from 'beatscope';

const store = await openStore('telemetry.duckdb');
const report = await ingest(['console.log'], { store, workers: 0 });
const set = await analyzeStore(store);
const data = await loadTraceData(store);
const out = {
  files: report.outcomes.map((f) => f.status),
  reportNames,
  ran: set.runs.map((r) => r.entry.name),
  json: set.runs.map((r) => JSON.parse(r.render('json'))).map((j) => [j.schema, j.version]),
  beatRuns: set.summary.beatRuns,
  chromeEvents: toChromeTrace(data).traceEvents.length,
  speedscopeProfiles: toSpeedscope(data).profiles.length,
  inMemory: typeof new InMemoryStore().summary,
};
// The code indexer loads on first use: index the demo app the package ships.
const { index } = await indexCodebase(new URL('node_modules/beatscope/examples/demo-app', import.meta.url).pathname);
out.indexedHandlers = index.handlers.length;
out.found = findCode(index, 'relaxLayout').kind;
// The pages inline the browser scripts the build bundled into the package (no bundler at run time).
await writeReportBundle('site', set, 'console.log');
const bundled = (name) => readFileSync(new URL(\`node_modules/beatscope/dist/web/\${name}.bundle.js\`, import.meta.url), 'utf8');
out.inlined = [['timeline', 'timeline-client'], ['graph', 'graph-client'], ['findings', 'findings-client']].map(
  ([page, name]) => readFileSync(\`site/\${page}.html\`, 'utf8').includes(bundled(name)) && bundled(name).length > 500,
);
await store.close();
console.log(JSON.stringify(out));
`;

const TYPED = `
import { type HandlerPerformanceReport, type TelemetryStore, analyzeHandlerPerformance, InMemoryStore } from 'beatscope';
const store: TelemetryStore = new InMemoryStore();
import { type Collector, type CollectorOptions, startCollector } from 'beatscope/collector';
const f: typeof analyzeHandlerPerformance = analyzeHandlerPerformance;
const r: HandlerPerformanceReport | undefined = undefined;
const c: (o: CollectorOptions) => Collector = startCollector;
export { store, f, r, c };
`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beatscope-pack-'));
  // `npm test` builds dist/ first; --ignore-scripts skips the `prepare` rebuild.
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'uses-beatscope', private: true, type: 'module' }));
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, tarball)],
    { cwd: dir, stdio: 'pipe' },
  );
  copyFileSync(LOG, join(dir, 'console.log'));
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package, imported by name', () => {
  it('ingests, analyses, renders every report and exports both trace formats', () => {
    writeFileSync(join(dir, 'use.mjs'), SCRIPT);
    const out = JSON.parse(execFileSync('node', ['use.mjs'], { cwd: dir, encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    expect(out.files).toEqual(['ingested']);
    expect(out.reportNames).toEqual(reportNames);
    // Coverage needs a code index, which this script does not build.
    expect(out.ran).toEqual(['findings', 'heatmap', 'flows', 'timeline', 'graph', 'state', 'trends', 'sequences']);
    for (const [schema, version] of out.json as [string, number][]) {
      expect(schema).toMatch(/^beatscope\/[a-z]+$/);
      expect(version).toBeGreaterThanOrEqual(1);
    }
    expect(out.beatRuns).toBeGreaterThan(0);
    expect(out.chromeEvents).toBeGreaterThan(out.beatRuns as number);
    expect(out.speedscopeProfiles).toBe(1);
    expect(out.inMemory).toBe('function');
    expect(out.inlined).toEqual([true, true, true]);
    expect(out.indexedHandlers).toBe(46);
    expect(out.found).toBe('handler');
  });

  it('exports beatscope/collector, which loads with nothing but the package itself', () => {
    const out = execFileSync(
      'node',
      ['--input-type=module', '-e', "import('beatscope/collector').then((m) => console.log(Object.keys(m).join()))"],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('startCollector');
  });

  it('ships type declarations a strict TypeScript project compiles against', () => {
    writeFileSync(join(dir, 'typed.ts'), TYPED);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['typed.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    expect(() => execFileSync('node', [tsc, '-p', dir], { cwd: dir, stdio: 'pipe' })).not.toThrow();
    expect(readFileSync(join(dir, 'node_modules/beatscope/dist/index.d.ts'), 'utf8')).toContain('analyzeStore');
  });
});
