// Mounts a RenderX-style app on a conductor the way the host SDK does (runtime-loaders.ts): every plugin's
// `json-sequences/index.json` catalog names sequence files and a `handlersPath` module; plugins listed with a
// `runtime` entry in `plugin-manifest.json` also get `register(conductor)` (which may mount inline TS sequences).
// Handler modules are TypeScript, loaded with tsx.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExpectedBeat } from './ground-truth.js';

export interface MountableConductor {
  mount(sequence: unknown, handlers: unknown, pluginId?: string): Promise<{ success?: boolean } | undefined>;
}

export interface MountedSequence {
  pluginId: string;
  sequenceId: string;
  sequenceName: string;
  beats: ExpectedBeat[];
}

/** A beat the running build lacks: mounting drops it, as if an older build of the sequence were deployed. */
export interface StaleBeat {
  sequenceId: string;
  event: string;
}

/** Two adjacent beats the running build has in the other order (a later release): `events` as documented. */
export interface SwappedBeats {
  sequenceId: string;
  events: readonly [string, string];
}

/** How the running build differs from the JSON on disk. */
export interface BuildChanges {
  readonly staleBeats?: readonly StaleBeat[];
  readonly swappedBeats?: readonly SwappedBeats[];
}

export interface MountedApp {
  mounted: MountedSequence[];
  /** Beats present in the JSON on disk but left out of the mounted sequence (see StaleBeat). */
  dropped: Array<{ sequenceId: string; beat: ExpectedBeat }>;
}

interface RawBeat {
  beat?: number;
  number?: number;
  event: string;
  handler: string;
}
interface RawSequence {
  pluginId: string;
  id: string;
  name: string;
  movements: Array<{ beats: RawBeat[] }>;
  beats?: number;
}

/** The plugin folders of an app that hold a `json-sequences/index.json` catalog (what `mountApp` mounts from). */
export function catalogDirs(appDir: string): string[] {
  let packages: Map<string, string>;
  try {
    packages = packageDirs(appDir);
  } catch {
    return [];
  }
  return [...packages.values()].filter((dir) => existsSync(join(dir, 'json-sequences', 'index.json')));
}

export async function mountApp(
  appDir: string,
  conductor: MountableConductor,
  build: BuildChanges,
  /** Wraps each mount's handlers (fault injection); identity by default. */
  wrapHandlers: (pluginId: string, handlers: unknown) => unknown = (_, h) => h,
  /**
   * When given, a module that fails to load (or a runtime `register` that throws) is told here and skipped, and a
   * missing `plugin-manifest.json` means no runtime entries; without it either one throws (the simulator's app
   * must mount whole).
   */
  onProblem?: (message: string) => void,
): Promise<MountedApp> {
  const mounted: MountedSequence[] = [];
  const dropped: MountedApp['dropped'] = [];
  const recording: MountableConductor = {
    async mount(sequence, handlers, pluginId) {
      const owner = pluginId ?? (sequence as RawSequence).pluginId;
      const result = await conductor.mount(sequence, wrapHandlers(owner, handlers), pluginId);
      if (result?.success) mounted.push(describe(sequence as RawSequence));
      return result;
    },
  };
  const packages = packageDirs(appDir);
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  const load = (spec: string) => {
    if (!modules.has(spec))
      modules.set(
        spec,
        // tsx is loaded with the first module (~0.2 s): importing beatscope alone does not load it.
        import('tsx/esm/api').then(({ tsImport }) =>
          tsImport(pathToFileURL(resolveSpec(spec, packages)).href, import.meta.url),
        ),
      );
    return modules.get(spec)!;
  };

  /** Runs `step`; with `onProblem`, a failure is told (prefixed with `what`) and the rest goes on. */
  const guarded = async (what: string, step: () => Promise<void>) => {
    if (!onProblem) return step();
    try {
      await step();
    } catch (error) {
      onProblem(`${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  };

  type Manifest = { plugins: Array<{ id: string; runtime?: { module: string; export: string } }> };
  let manifest: Manifest = { plugins: [] };
  await guarded('plugin-manifest.json', async () => {
    manifest = readJson(join(appDir, 'plugin-manifest.json')) as Manifest;
  });
  for (const plugin of manifest.plugins) {
    const runtime = plugin.runtime;
    if (!runtime) continue;
    await guarded(`${plugin.id} runtime ${runtime.module}`, async () => {
      const mod = await load(runtime.module);
      const register = mod[runtime.export] as (c: MountableConductor) => Promise<void>;
      await register(recording);
    });
  }

  for (const dir of packages.values()) {
    const seqDir = join(dir, 'json-sequences');
    let catalog: { sequences: Array<{ file: string; handlersPath: string }> };
    try {
      catalog = readJson(join(seqDir, 'index.json')) as typeof catalog;
    } catch {
      continue;
    }
    for (const entry of catalog.sequences) {
      await guarded(`${join(seqDir, entry.file)} (handlers ${entry.handlersPath})`, async () => {
        const onDisk = readJson(join(seqDir, entry.file)) as RawSequence;
        const sequence = normalize(onDisk, build);
        const kept = new Set(describe(sequence).beats.map((b) => b.event));
        for (const beat of describe(onDisk).beats) {
          if (!kept.has(beat.event)) dropped.push({ sequenceId: onDisk.id, beat });
        }
        const mod = await load(entry.handlersPath);
        await recording.mount(sequence, mod['handlers'], sequence.pluginId);
      });
    }
  }
  return { mounted, dropped };
}

/** Package name (`@demo/canvas-component`) → plugin directory, from each plugin's package.json. */
function packageDirs(appDir: string): Map<string, string> {
  const root = join(appDir, 'plugins');
  const result = new Map<string, string>();
  for (const name of readdirSync(root).sort()) {
    try {
      const pkg = readJson(join(root, name, 'package.json')) as { name: string };
      result.set(pkg.name, join(root, name));
    } catch {
      // Not a plugin package.
    }
  }
  return result;
}

/** `@demo/x` → `<dir>/src/index.ts`; a deep `@demo/x/symphonies/ui/ui.symphony` → `<dir>/src/symphonies/ui/ui.symphony.ts`. */
function resolveSpec(spec: string, packages: Map<string, string>): string {
  for (const [name, dir] of packages) {
    if (spec === name) return join(dir, 'src', 'index.ts');
    if (spec.startsWith(`${name}/`)) return join(dir, 'src', `${spec.slice(name.length + 1)}.ts`);
  }
  throw new Error(`Cannot resolve handlers module ${spec}`);
}

/**
 * The conductor refuses beats without a `beat` number, so `number` (the orchestration spelling) is copied over;
 * stale beats are dropped and the integer `beats` count follows; swapped beats trade places and numbers (the
 * conductor runs a movement's beats in array order and logs their numbers, so the release logs the second
 * documented beat as beat n and the first as n + 1).
 */
function normalize(sequence: RawSequence, build: BuildChanges): RawSequence {
  const dropped = new Set((build.staleBeats ?? []).filter((s) => s.sequenceId === sequence.id).map((s) => s.event));
  const swaps = (build.swappedBeats ?? []).filter((s) => s.sequenceId === sequence.id);
  const movements = sequence.movements.map((m) => {
    const beats = m.beats.filter((b) => !dropped.has(b.event)).map((b) => ({ ...b, beat: b.beat ?? b.number }));
    for (const { events } of swaps) {
      const i = beats.findIndex((b) => b.event === events[0]);
      if (i < 0 || beats[i + 1]?.event !== events[1]) continue;
      const [first, second] = [beats[i]!, beats[i + 1]!];
      beats[i] = { ...second, beat: first.beat };
      beats[i + 1] = { ...first, beat: second.beat };
    }
    return { ...m, beats };
  });
  const beats = movements.reduce((n, m) => n + m.beats.length, 0);
  return { ...sequence, movements, beats };
}

function describe(sequence: RawSequence): MountedSequence {
  return {
    pluginId: sequence.pluginId,
    sequenceId: sequence.id,
    sequenceName: sequence.name,
    beats: sequence.movements.flatMap((m) =>
      m.beats.map((b) => ({ beat: b.beat ?? b.number ?? 0, event: b.event, handler: b.handler })),
    ),
  };
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
