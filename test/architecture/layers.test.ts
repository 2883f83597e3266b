/**
 * The layering of STYLE.md ("data flows one way"), checked on the real import graph of src/ with the
 * TypeScript parser, transitively: a file may not reach a forbidden layer through any chain of imports,
 * not even through a folder that is itself allowed (biome's `noRestrictedImports` sees one import at a time).
 * A failure prints the offending chain, e.g. `src/model/a.ts -> src/model/b.ts -> src/store/c.ts`.
 * Test files (`*.test.ts`) may cross layers (fixtures, real stores) and are not sources of edges.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

type Layer =
  | 'model'
  | 'importers'
  | 'codebase'
  | 'store'
  | 'store/duckdb'
  | 'analyses'
  | 'reports'
  | 'exports'
  | 'web'
  | 'ingest'
  | 'simulate'
  | 'bench'
  | 'cli'
  | '@duckdb';

/** A node of the graph: a src file (path relative to the repo) or a package name. */
interface Edge {
  readonly to: string;
  /** `import type`, `export type`, `typeof import()`: erased from the emitted JavaScript. */
  readonly typeOnly: boolean;
}

/**
 * What each layer may reach, directly or through any chain. Layers not listed here (cli, bench, simulate)
 * may use all. `store` is the engine-neutral part (the `TelemetryStore` interface, in-memory store, table
 * specs); only `store/duckdb` may reach DuckDB. Reports and exports reach the store only through analyses (see DIRECT).
 */
const REACH: Partial<Record<Layer, readonly Layer[]>> = {
  model: ['model'],
  importers: ['importers', 'model'],
  codebase: ['codebase', 'model'],
  store: ['store', 'model'],
  'store/duckdb': ['store/duckdb', 'store', 'model', '@duckdb'],
  analyses: ['analyses', 'model', 'store'],
  reports: ['reports', 'model', 'analyses', 'store'],
  exports: ['exports', 'model', 'analyses', 'store'],
  ingest: ['ingest', 'model', 'importers', 'store'],
  // The browser client: its bundle (value imports) holds only web code and model values; report data
  // shapes come in as types (checked in BROWSER_TYPES below).
  web: ['web', 'model'],
};

/** Direct imports allowed where they are narrower than REACH. */
const DIRECT: Partial<Record<Layer, readonly Layer[]>> = {
  reports: ['reports', 'model', 'analyses'],
  exports: ['exports', 'model', 'analyses'],
};

/** Layers the browser client may import types from (erased from its bundle). */
const BROWSER_TYPES: readonly Layer[] = ['web', 'model', 'reports'];

function layerOf(node: string): Layer | undefined {
  if (node.startsWith('@duckdb/')) return '@duckdb';
  const m = /^src\/([^/]+)\/(?:([^/]+)\/)?/.exec(node);
  if (!m) return undefined;
  if (m[1] === 'store' && m[2] === 'duckdb') return 'store/duckdb';
  return m[1] as Layer;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = join(dir, d.name);
    if (d.isDirectory()) return d.name === '__snapshots__' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(d.name) && !/\.test\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [full] : [];
  });
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // side-effect import
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly);
}

/** Every module specifier a file names: imports, re-exports, dynamic `import()`, `typeof import()`. */
function importsOf(path: string, text: string): { specifier: string; typeOnly: boolean }[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      out.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      out.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** The import graph of src/: repo-relative file -> edges (to files of src/ or to package names). */
function buildGraph(): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  const files = sourceFiles(SRC);
  const known = new Set(files.map((f) => relative(ROOT, f)));
  for (const full of files) {
    const edges: Edge[] = [];
    for (const { specifier, typeOnly } of importsOf(full, readFileSync(full, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = relative(ROOT, resolve(dirname(full), specifier)).replace(/\.js$/, '');
        const hit = [`${target}.ts`, `${target}.tsx`, `${target}/index.ts`].find((c) => known.has(c));
        // Imports of test/ or of generated files are outside the layering.
        if (hit !== undefined) edges.push({ to: hit, typeOnly });
      } else if (!specifier.startsWith('node:')) {
        const parts = specifier.split('/');
        edges.push({ to: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!, typeOnly });
      }
    }
    graph.set(relative(ROOT, full), edges);
  }
  return graph;
}

/**
 * Violations of one start file: for each forbidden node it reaches, the shortest chain to it.
 * `valueOnly`: follow only imports that survive compilation (the browser bundle).
 */
function violations(graph: Map<string, Edge[]>, start: string): string[] {
  const layer = layerOf(start)!;
  const reach = REACH[layer];
  if (reach === undefined) return [];
  const direct = DIRECT[layer] ?? reach;
  const browser = layer === 'web';
  const out: string[] = [];
  for (const edge of graph.get(start) ?? []) {
    const to = layerOf(edge.to);
    if (to === undefined) continue;
    const allowed = browser && edge.typeOnly ? BROWSER_TYPES : direct;
    if (!allowed.includes(to)) out.push(`${start} -> ${edge.to}  (${layer} may not import ${to})`);
  }
  // Breadth-first, so the chain printed is a shortest one.
  const parent = new Map<string, string>([[start, '']]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const edge of graph.get(node) ?? []) {
      if (browser && edge.typeOnly) continue;
      if (parent.has(edge.to)) continue;
      parent.set(edge.to, node);
      const to = layerOf(edge.to);
      if (to !== undefined && !reach.includes(to)) {
        const chain = [edge.to];
        for (let n = node; n !== ''; n = parent.get(n)!) chain.unshift(n);
        if (chain.length > 2) out.push(`${chain.join(' -> ')}  (${layer} reaches ${to})`);
        continue;
      }
      queue.push(edge.to);
    }
  }
  return out;
}

describe('layering (STYLE.md: data flows one way)', () => {
  const graph = buildGraph();

  it('sees the whole of src/', () => {
    const layers = new Set([...graph.keys()].map(layerOf));
    for (const layer of [
      'model',
      'importers',
      'codebase',
      'store',
      'store/duckdb',
      'analyses',
      'reports',
      'exports',
      'web',
    ]) {
      expect(layers).toContain(layer);
    }
    // The engine is imported where it should be, so the rule below is not vacuous.
    expect(graph.get('src/store/duckdb/duckdb-open.ts')?.map((e) => e.to)).toContain('@duckdb/node-api');
  });

  it('no file reaches a layer it may not use, directly or through a chain of imports', () => {
    const found = [...graph.keys()].sort().flatMap((file) => violations(graph, file));
    expect(found, `layer violations:\n${found.join('\n')}`).toEqual([]);
  });

  it('finds a violation through a chain (model -> model -> store)', () => {
    const probe = new Map(graph);
    probe.set('src/model/probe-a.ts', [{ to: 'src/model/probe-b.ts', typeOnly: true }]);
    probe.set('src/model/probe-b.ts', [{ to: 'src/store/telemetry-store.ts', typeOnly: true }]);
    expect(violations(probe, 'src/model/probe-a.ts')).toEqual([
      'src/model/probe-a.ts -> src/model/probe-b.ts -> src/store/telemetry-store.ts  (model reaches store)',
    ]);
  });
});
