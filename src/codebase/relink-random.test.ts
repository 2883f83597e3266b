/**
 * Random edits (seeded, so a failure replays) on a small two-plugin repo; after every step the index
 * re-indexed from the previous state must equal a full index of the same tree. The edits cover what the
 * re-link patches: moved, renamed, added and removed handler functions (so definitions move, appear, turn
 * unresolved with candidates), modules leaving the aggregating handlers object, a re-export that switches
 * target under a renamed import, edited, added and removed test files, sequence JSON with `testFile` links,
 * and syntax errors (file problems). A second chain keeps its state as a store would between processes
 * (encoded, JSON, decoded, facts blobs written as deltas and read on demand), and must agree too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pkg, removeRepo, sequenceJson, writeRepo } from '../../test/fixtures/codebase/write-repo.js';
import type { CodeIndex } from '../model/code-index.js';
import { decodeState, encodeState } from './code-state.js';
import { type CodeIndexState, indexCodebase } from './index-codebase.js';

/** What a store keeps of the last index: JSON text, and facts blobs by path. */
interface Stored {
  index: string;
  state: string;
  blobs: Map<string, string>;
  reads: number;
}

/** Re-indexes like a new process would: decode what is stored, index, store the result (deltas applied). */
async function reindexFromStore(dir: string, stored: Stored | null): Promise<{ index: CodeIndex; stored: Stored }> {
  const blobs = stored?.blobs ?? new Map<string, string>();
  let reads = 0;
  const previous = stored
    ? decodeState(JSON.parse(stored.state), JSON.parse(stored.index) as CodeIndex, async (paths) => {
        reads += paths.length;
        return new Map(paths.flatMap((p) => (blobs.has(p) ? [[p, blobs.get(p)!] as const] : [])));
      })
    : undefined;
  const { index, state } = await indexCodebase(dir, { previous });
  const encoded = await encodeState(state, index, previous);
  const next = encoded.facts.replace ? new Map<string, string>() : new Map(blobs);
  for (const p of encoded.facts.remove) next.delete(p);
  for (const [p, blob] of encoded.facts.write) next.set(p, blob);
  return {
    index,
    stored: { index: JSON.stringify(index), state: JSON.stringify(encoded.state), blobs: next, reads },
  };
}

/** mulberry32 */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLUGINS = ['p', 'q'];
const MODULES = 3;
const HANDLERS = ['load', 'save', 'notify', 'render'];

interface Model {
  /** module source by plugin and module index: the handler names it defines (in order) and blank lines before each. */
  modules: Record<string, { names: string[]; pad: number[]; broken: boolean; spread: boolean }[]>;
  /** test files by path: [kind, plugin, name] per test case. */
  tests: Record<string, { plugin: string; cases: [kind: 'call' | 'ref' | 'ac', name: string][] }>;
  /** beat index (per plugin) that carries a testFile link, or -1. */
  testLinked: Record<string, number>;
  /** `src/proxy.ts` re-exports this handler name as `go`; a test calls `go()` (renamed direct import). */
  proxy: Record<string, string>;
}

function moduleSource(m: Model['modules'][string][number]): string {
  const lines: string[] = ["import type { Ctx } from '../types';"];
  m.names.forEach((n, i) => {
    for (let k = 0; k < (m.pad[i] ?? 0); k++) lines.push('');
    lines.push(`export function ${n}(data: unknown, ctx: Ctx) {`, '  return { data, ctx };', '}');
  });
  lines.push(`export const handlers = { ${m.names.join(', ')} };`);
  if (m.broken) lines.push('export const oops = {');
  return `${lines.join('\n')}\n`;
}

function testSource(plugin: string, t: Model['tests'][string], model: Model): string {
  const lines = ["import { it } from 'vitest';"];
  const imports = new Set<number>();
  t.cases.forEach(([kind, name], i) => {
    const mod = model.modules[plugin]!.findIndex((m) => m.names.includes(name));
    if (kind === 'call' && mod >= 0) {
      imports.add(mod);
      lines.push(`it('case ${i}', () => h${mod}.${name}(1, {}));`);
    } else if (kind === 'ac') lines.push(`it('[AC:test-domain:${plugin}-s:1.${(i % 3) + 1}:1] case ${i}', () => 1);`);
    else lines.push(`it('case ${i}', () => { ${name}; });`);
  });
  for (const mod of imports) lines.splice(1, 0, `import { handlers as h${mod} } from '../src/m${mod}';`);
  return `${lines.join('\n')}\n`;
}

function sequenceFor(plugin: string, model: Model): object {
  const beats = HANDLERS.map((h, i): [string, string] => [`${plugin}:${i}`, h]);
  const seq = sequenceJson(plugin.toUpperCase(), `${plugin}-s`, beats) as {
    movements: { beats: Record<string, unknown>[] }[];
  };
  const linked = model.testLinked[plugin]!;
  if (linked >= 0) {
    const beat = seq.movements[0]!.beats[linked]!;
    beat['testFile'] = '__tests__/t0.spec.ts';
    beat['testCase'] = 'case 0';
  }
  return seq;
}

function files(model: Model): Record<string, string | object> {
  const out: Record<string, string | object> = {};
  for (const p of PLUGINS) {
    out[`${p}/package.json`] = pkg(`@x/${p}`);
    out[`${p}/json-sequences/index.json`] = { sequences: [{ file: 's.json', handlersPath: `@x/${p}` }] };
    out[`${p}/json-sequences/s.json`] = sequenceFor(p, model);
    out[`${p}/src/types.ts`] = 'export type Ctx = Record<string, unknown>;\n';
    const mods = model.modules[p]!;
    out[`${p}/src/index.ts`] =
      `${mods.map((_, i) => `import { handlers as h${i} } from './m${i}';`).join('\n')}\n` +
      `export const handlers = { ${mods.flatMap((m, i) => (m.spread ? [`...h${i}`] : [])).join(', ')} };\n`;
    mods.forEach((m, i) => {
      out[`${p}/src/m${i}.ts`] = moduleSource(m);
    });
  }
  for (const [file, t] of Object.entries(model.tests)) out[file] = testSource(t.plugin, t, model);
  for (const p of PLUGINS) {
    const name = model.proxy[p]!;
    const mod = model.modules[p]!.findIndex((m) => m.names.includes(name));
    out[`${p}/src/proxy.ts`] = mod >= 0 ? `export { ${name} as go } from './m${mod}';\n` : 'export const go = 1;\n';
    out[`${p}/__tests__/proxy.spec.ts`] =
      "import { it } from 'vitest';\nimport { go as run } from '../src/proxy';\nit('proxy', () => run(1, {}));\n";
  }
  return out;
}

describe('incremental re-link under random edits', () => {
  const dir = writeRepo({});
  afterAll(() => removeRepo(dir));
  let clock = Date.now() - 3_600_000;
  const written = new Map<string, string>();
  const sync = (model: Model): void => {
    const next = files(model);
    for (const [rel, content] of Object.entries(next)) {
      const text = typeof content === 'string' ? content : JSON.stringify(content, null, 2);
      if (written.get(rel) === text) continue;
      const abs = path.join(dir, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
      clock += 2_000;
      fs.utimesSync(abs, new Date(clock), new Date(clock));
      written.set(rel, text);
    }
    for (const rel of [...written.keys()]) {
      if (rel in next) continue;
      fs.rmSync(path.join(dir, rel));
      written.delete(rel);
    }
  };

  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: every step equals a full index`, async () => {
      const rnd = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
      const model: Model = { modules: {}, tests: {}, testLinked: {}, proxy: {} };
      for (const p of PLUGINS) {
        model.modules[p] = Array.from({ length: MODULES }, () => ({ names: [], pad: [], broken: false, spread: true }));
        HANDLERS.forEach((h, i) => {
          const m = model.modules[p]![i % MODULES]!;
          m.names.push(h);
          m.pad.push(0);
        });
        model.testLinked[p] = -1;
        model.proxy[p] = pick(HANDLERS);
        for (let t = 0; t < 3; t++) {
          model.tests[`${p}/__tests__/t${t}.spec.ts`] = {
            plugin: p,
            cases: [
              ['call', pick(HANDLERS)],
              [pick(['ref', 'ac'] as const), pick(HANDLERS)],
            ],
          };
        }
      }
      sync(model);
      let state: CodeIndexState = (await indexCodebase(dir)).state;
      let stored = (await reindexFromStore(dir, null)).stored;
      let relinks = 0;
      let partialReads = 0;
      for (let step = 0; step < 30; step++) {
        const p = pick(PLUGINS);
        const mods = model.modules[p]!;
        const edits = 1 + Math.floor(rnd() * 2);
        for (let e = 0; e < edits; e++) {
          const r = rnd();
          const m = pick(mods);
          if (r < 0.25 && m.names.length > 0) {
            const i = Math.floor(rnd() * m.names.length);
            m.pad[i] = (m.pad[i] ?? 0) + 1; // moves the definition
          } else if (r < 0.35 && m.names.length > 0) {
            const i = Math.floor(rnd() * m.names.length);
            m.names[i] = m.names[i]!.endsWith('X') ? m.names[i]!.slice(0, -1) : `${m.names[i]}X`; // (un)resolves
          } else if (r < 0.45) {
            const from = pick(mods);
            const to = pick(mods);
            if (from !== to && from.names.length > 0) {
              to.names.push(from.names.pop()!); // moves a handler to another module
              to.pad.push(from.pad.pop() ?? 0);
            }
          } else if (r < 0.48) {
            m.broken = !m.broken;
          } else if (r < 0.52) {
            m.spread = !m.spread; // its handlers leave or join the plugin's handlers object (the module is unchanged)
          } else if (r < 0.75) {
            const mine = Object.keys(model.tests).filter((f) => model.tests[f]!.plugin === p);
            const t = mine.length > 0 ? model.tests[pick(mine)]! : undefined;
            if (!t) continue;
            if (rnd() < 0.5 && t.cases.length > 1) t.cases.splice(Math.floor(rnd() * t.cases.length), 1);
            else t.cases.push([pick(['call', 'ref', 'ac'] as const), pick(HANDLERS)]);
          } else if (r < 0.85) {
            const file = `${p}/__tests__/t${Math.floor(rnd() * 5)}.spec.ts`;
            if (model.tests[file] && Object.keys(model.tests).length > 2) delete model.tests[file];
            else model.tests[file] = { plugin: p, cases: [['call', pick(HANDLERS)]] };
          } else if (r < 0.88) {
            model.testLinked[p] = model.testLinked[p]! >= 0 ? -1 : Math.floor(rnd() * HANDLERS.length);
          } else if (r < 0.95) {
            model.proxy[p] = pick(HANDLERS); // the proxy test now reaches another (unchanged) handler
          } else {
            m.pad = m.pad.map(() => 0);
          }
        }
        sync(model);
        const next = await indexCodebase(dir, { previous: state });
        const full = await indexCodebase(dir);
        expect(next.index, `seed ${seed} step ${step}`).toStrictEqual(full.index);
        if (next.state.stats.testFilesLinked < full.state.stats.testFilesLinked) relinks++;
        state = next.state;
        const fromStore = await reindexFromStore(dir, stored);
        expect(fromStore.index, `seed ${seed} step ${step} (from the store)`).toStrictEqual(full.index);
        if (fromStore.stored.reads < stored.blobs.size) partialReads++;
        stored = fromStore.stored;
      }
      expect(relinks).toBeGreaterThan(5);
      expect(partialReads).toBeGreaterThan(5);
    });
  }
});
