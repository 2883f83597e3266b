/**
 * A small TypeScript app written into a temp dir as a repository (two handler modules, a helper module and a
 * dependency under `node_modules`), bundled and minified by esbuild with a source map, and run by Node without
 * `--enable-source-maps`: the stack frames it prints name the bundle, as production logs of built apps do. For
 * the tests of mapping frames back through source maps (src/analyses/findings/stack-frames.ts).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { parseStack } from '../../src/importers/grammar/stack.js';
import type { StackFrame } from '../../src/model/events.js';

/** 1-based lines of the app's sources that the tests expect frames to map to. */
export const UPDATE_THROW_LINE = 9;
export const GUARDED_CALL_LINE = 4;

const SOURCES: Record<string, string> = {
  'src/lib/clamp.ts': `/** Keeps a count within 0..limit. */
export function clamp(n: number, limit: number): number {
  return Math.max(0, Math.min(limit, n));
}
`,
  'src/handlers/update.ts': `import { clamp } from '../lib/clamp';

export interface Payload {
  count: number;
}

export function update(data: Payload, ctx: { payload: Record<string, unknown> }): void {
  const next = clamp(data.count + 1, 10);
  if (next > 3) throw new Error(\`count \${next} over the limit\`);
  ctx.payload.count = next;
}
`,
  'src/handlers/guarded.ts': `import { assertPositive } from 'tiny-guard';

export function guarded(data: { count: number }): number {
  return assertPositive(data.count) * 2;
}
`,
  // Prints each handler's error stack, separated by a blank line.
  'src/main.ts': `import { guarded } from './handlers/guarded';
import { update } from './handlers/update';

const runs = [() => update({ count: 7 }, { payload: {} }), () => guarded({ count: -1 })];
for (const run of runs) {
  try {
    run();
  } catch (e) {
    process.stdout.write(\`\${(e as Error).stack}\\n\\n\`);
  }
}
`,
  // The same handler played by the real musical-conductor (bundled in), which logs its failure with the stack.
  'src/conductor-main.ts': `import { initializeCommunicationSystem } from 'musical-conductor';
import { update } from './handlers/update';

const sequence = {
  id: 'counter-symphony',
  name: 'Counter',
  movements: [
    {
      id: 'count',
      name: 'Count',
      beats: [{ beat: 1, event: 'counter:update', handler: 'update', title: 'Update', dynamics: 'mf', timing: 'immediate' }],
    },
  ],
};
const { conductor } = initializeCommunicationSystem();
await conductor.mount(sequence as never, { update }, 'CounterPlugin');
conductor.play('CounterPlugin', 'counter-symphony', { count: 7 });
await new Promise((r) => setTimeout(r, 300));
`,
  'node_modules/tiny-guard/package.json':
    '{ "name": "tiny-guard", "version": "1.0.0", "type": "module", "main": "index.js" }\n',
  'node_modules/tiny-guard/index.js': `export function assertPositive(n) {
  if (n < 0) throw new RangeError('expected a positive number, got ' + n);
  return n;
}
`,
};

const PROJECT_NODE_MODULES = resolve(import.meta.dirname, '../../node_modules');

export interface BundledApp {
  /** The repository (what `beatscope index` would be given). */
  readonly root: string;
  readonly cleanup: () => Promise<void>;
}

export async function writeApp(): Promise<BundledApp> {
  const root = await mkdtemp(join(tmpdir(), 'beatscope-bundled-'));
  for (const [file, text] of Object.entries(SOURCES)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Bundles `entry` (root-relative) minified into `outfile` (root-relative) with the given kind of source map. */
export async function bundle(
  root: string,
  entry: string,
  outfile: string,
  sourcemap: boolean | 'inline' | 'external' = true,
): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    sourcemap,
    // musical-conductor comes from beatscope's own install.
    nodePaths: [PROJECT_NODE_MODULES],
    logLevel: 'error',
  });
}

/** Runs a bundle with Node as a user would (no source-map support) and returns its stdout. */
export function runBundle(root: string, file: string): string {
  return execFileSync(process.execPath, [join(root, file)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

/** Runs a bundle as `runBundle` does with its stdout and stderr both written to `logFile`, as a console log is. */
export function runBundleToLog(root: string, file: string, logFile: string): void {
  const fd = openSync(logFile, 'w');
  try {
    execFileSync(process.execPath, [join(root, file)], {
      cwd: root,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
  } finally {
    closeSync(fd);
  }
}

/** The stacks `dist/main.js`-style output printed, parsed the way the importers parse them. */
export function stacksOf(stdout: string): StackFrame[][] {
  return stdout
    .split('\n\n')
    .filter((s) => s.trim() !== '')
    .map((s) => parseStack(s.split('\n').slice(1)));
}
