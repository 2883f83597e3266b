/**
 * Indexer benchmark: a generated monorepo of 2,000 handler modules and 5,000 test files (20 plugin
 * packages, each with an aggregating `handlers` index, a catalog and JSON sequences), indexed cold, then
 * re-indexed after editing one handler module. Target: re-index under 1/20 of the cold index. The `also`
 * hook lets the bench also time the store path (src/bench/main.ts) on the same repo.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { indexCodebase } from './index-codebase.js';

const PLUGINS = 20;
const MODULES_PER_PLUGIN = 100;
const TESTS_PER_PLUGIN = 250;
const BEATS_PER_SEQUENCE = 10;

export interface BenchResult {
  /** Files indexed (handler modules, plugin indexes, tests, JSON). */
  readonly files: number;
  /** Cold index wall time. */
  readonly ms: number;
  readonly filesPerSec: number;
  /** Re-index after one edited file, with the previous state. */
  readonly reindexMs: number;
  readonly reparsed: number;
  readonly handlers: number;
  readonly tests: number;
}

function write(root: string, rel: string, text: string): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

const moduleSource = (p: number, m: number): string =>
  [
    `import type { Ctx } from '../types';`,
    `export function handle${p}_${m}(data: unknown, ctx: Ctx) {`,
    '  return { data, ctx };',
    '}',
    'export const handlers = {',
    `  handle${p}_${m},`,
    `  async notify${m}(data: unknown) {`,
    '    return data;',
    '  },',
    '};',
  ].join('\n');

export function generateBenchRepo(root: string): void {
  for (let p = 0; p < PLUGINS; p++) {
    const dir = `plugins/p${p}`;
    write(root, `${dir}/package.json`, JSON.stringify({ name: `@bench/p${p}`, version: '1.0.0' }));
    write(root, `${dir}/src/types.ts`, 'export type Ctx = Record<string, unknown>;\n');
    const imports: string[] = [];
    const spreads: string[] = [];
    for (let m = 0; m < MODULES_PER_PLUGIN; m++) {
      write(root, `${dir}/src/symphonies/m${m}.ts`, moduleSource(p, m));
      imports.push(`import { handlers as h${m} } from './symphonies/m${m}.js';`);
      spreads.push(`  ...h${m},`);
    }
    write(root, `${dir}/src/index.ts`, [...imports, 'export const handlers = {', ...spreads, '};'].join('\n'));
    const catalog: { file: string; handlersPath: string }[] = [];
    for (let s = 0; s < MODULES_PER_PLUGIN / BEATS_PER_SEQUENCE; s++) {
      const beats = Array.from({ length: BEATS_PER_SEQUENCE }, (_, b) => {
        const m = s * BEATS_PER_SEQUENCE + b;
        return { beat: b + 1, event: `p${p}:s${s}:b${b}`, handler: `handle${p}_${m}`, kind: 'pure' };
      });
      const seq = {
        pluginId: `Plugin${p}`,
        id: `p${p}-s${s}`,
        name: `P${p} S${s}`,
        movements: [{ name: 'Main', beats }],
      };
      write(root, `${dir}/json-sequences/s${s}.json`, JSON.stringify(seq, null, 2));
      catalog.push({ file: `s${s}.json`, handlersPath: `@bench/p${p}` });
    }
    write(root, `${dir}/json-sequences/index.json`, JSON.stringify({ sequences: catalog }));
    for (let t = 0; t < TESTS_PER_PLUGIN; t++) {
      const m = t % MODULES_PER_PLUGIN;
      const src = [
        "import { describe, expect, it } from 'vitest';",
        `import { handlers } from '../src/symphonies/m${m}';`,
        `describe('m${m} #${t}', () => {`,
        `  it('handle${p}_${m} - returns data', () => {`,
        `    expect(handlers.handle${p}_${m}(1, {})).toBeTruthy();`,
        '  });',
        `  it('notify${m} resolves', async () => {`,
        `    await handlers.notify${m}(2);`,
        '  });',
        "  it('unrelated', () => expect(1).toBe(1));",
        '});',
      ];
      write(root, `${dir}/__tests__/t${t}.spec.ts`, src.join('\n'));
    }
  }
}

/** Edits handler module `n` of the bench repo (a new first line), as a developer would between two runs. */
export function editBenchModule(root: string, n: number): void {
  const p = n % PLUGINS;
  const m = Math.floor(n / PLUGINS) % MODULES_PER_PLUGIN;
  const edited = path.join(root, `plugins/p${p}/src/symphonies/m${m}.ts`);
  fs.writeFileSync(edited, `// edited ${n}\n${fs.readFileSync(edited, 'utf8')}`);
}

/** `also` runs on the same repo (already edited once) before it is removed. */
export async function benchIndex<T>(also?: (root: string) => Promise<T>): Promise<BenchResult & { also?: T }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'beatscope-bench-'));
  try {
    generateBenchRepo(root);
    const t0 = performance.now();
    const first = await indexCodebase(root);
    const ms = performance.now() - t0;
    editBenchModule(root, 0);
    const t1 = performance.now();
    const second = await indexCodebase(root, { previous: first.state });
    const reindexMs = performance.now() - t1;
    const files = first.state.stats.files;
    const result: BenchResult = {
      files,
      ms: Math.round(ms),
      filesPerSec: Math.round(files / (ms / 1000)),
      reindexMs: Math.round(reindexMs),
      reparsed: second.state.stats.parsed,
      handlers: second.index.handlers.length,
      tests: second.index.tests.length,
    };
    return also ? { ...result, also: await also(root) } : result;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
