/**
 * Logs produced by the real musical-conductor, inside the test, reconstruct with the exact beat order
 * and handler names the sequence definitions give.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/ingest/parse-file.js';
import type { BeatRun, HandlerError, HandlerRun, SequenceRun, TraceEntity } from '../../src/model/index.js';

function sequence(id: string, name: string, movements: { name: string; beats: [string, string][] }[]) {
  let n = 0;
  return {
    id,
    name,
    description: `${name} (test)`,
    version: '1.0.0',
    movements: movements.map((m) => ({
      id: m.name.toLowerCase(),
      name: m.name,
      beats: m.beats.map(([event, handler]) => ({
        beat: ++n,
        event,
        title: handler,
        handler,
        dynamics: 'mf',
        timing: 'immediate',
        errorHandling: 'continue',
      })),
    })),
  };
}

const LOAD = sequence('library-load-symphony', 'Library Load', [
  {
    name: 'Load',
    beats: [
      ['library:components:load', 'loadComponents'],
      ['library:components:notify-ui', 'notifyUi'],
    ],
  },
]);
const CREATE = sequence('canvas-component-create-symphony', 'Canvas Component Create', [
  {
    name: 'Create',
    beats: [
      ['canvas:component:resolve-template', 'resolveTemplate'],
      ['canvas:component:register-instance', 'slowRegisterInstance'],
      ['canvas:component:create', 'failCreateNode'],
      ['canvas:component:notify-ui', 'notifyUiCreate'],
    ],
  },
  { name: 'Finish', beats: [['canvas:component:augment:line', 'enhanceLine']] },
]);

/** Beat numbers as RenderX's canvas-component export.json numbers them: 1, 2, 3, 3, 4. */
const EXPORT = (() => {
  const seq = sequence('canvas-component-export-symphony', 'Canvas Component Export', [
    {
      name: 'Export',
      beats: [
        ['canvas:component:export:collect', 'collectComponents'],
        ['canvas:component:export:serialize', 'serializeComponents'],
        ['canvas:component:export:svg', 'buildSvg'],
        ['canvas:component:export:manifest', 'buildManifest'],
        ['canvas:component:export:download', 'downloadBundle'],
      ],
    },
  ]);
  const beats = seq.movements[0]!.beats;
  [1, 2, 3, 3, 4].forEach((n, i) => {
    beats[i]!.beat = n;
  });
  return seq;
})();

function runConductor(spec: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-mc-'));
  const file = join(dir, 'console.log');
  // stdout and stderr into one file descriptor, in the order printed, as `node app > log 2>&1` does.
  const fd = openSync(file, 'w');
  try {
    execFileSync(process.execPath, [join(import.meta.dirname, 'play-sequences.mjs'), JSON.stringify(spec)], {
      stdio: ['ignore', fd, fd],
      cwd: join(import.meta.dirname, '../..'),
    });
  } finally {
    closeSync(fd);
  }
  return file;
}

async function entitiesOf(file: string) {
  const all: TraceEntity[] = [];
  const { info } = await parseFile(file, 'test', (b) => all.push(...b));
  const of = <K extends TraceEntity['kind']>(k: K) =>
    all.filter((e): e is Extract<TraceEntity, { kind: K }> => e.kind === k);
  return { info, of };
}

describe('reconstruction of logs printed by the real musical-conductor', () => {
  const file = runConductor({
    mounts: [
      { pluginId: 'LibraryPlugin', sequence: LOAD },
      { pluginId: 'CanvasComponentPlugin', sequence: CREATE },
      { pluginId: 'CanvasComponentExportPlugin', sequence: EXPORT },
    ],
    plays: [
      { pluginId: 'LibraryPlugin', sequenceId: 'library-load-symphony', waitMs: 150 },
      { pluginId: 'CanvasComponentPlugin', sequenceId: 'canvas-component-create-symphony' },
      { pluginId: 'LibraryPlugin', sequenceId: 'library-load-symphony', waitMs: 150 },
      { pluginId: 'CanvasComponentExportPlugin', sequenceId: 'canvas-component-export-symphony' },
    ],
  });

  it('reads every line and recognizes the conductor output', async () => {
    const { info } = await entitiesOf(file);
    expect(info.format).toBe('node-console');
    expect(info.linesUnknown).toBe(0);
    expect(info.linesRecognized).toBe(info.lines);
  });

  it('rebuilds each run with the defined beat order, events and handlers', async () => {
    const { of } = await entitiesOf(file);
    const runs = of('sequence-run') as SequenceRun[];
    expect(runs.map((r) => [r.sequenceName, r.sequenceId, r.pluginId, r.status])).toEqual([
      ['Library Load', 'library-load-symphony', 'LibraryPlugin', 'completed'],
      ['Canvas Component Create', 'canvas-component-create-symphony', 'CanvasComponentPlugin', 'completed'],
      ['Library Load', 'library-load-symphony', 'LibraryPlugin', 'completed'],
      ['Canvas Component Export', 'canvas-component-export-symphony', 'CanvasComponentExportPlugin', 'completed'],
    ]);
    for (const r of runs) expect(r.requestId).toMatch(new RegExp(`^${r.sequenceId}-\\d{13}-[a-z0-9]+$`));
    const beats = of('beat-run') as BeatRun[];
    const create = runs[1]!;
    const createBeats = beats.filter((b) => b.sequenceRunId === create.id);
    const defined = CREATE.movements.flatMap((m) => m.beats);
    expect(createBeats.map((b) => [b.beat, b.event, b.title])).toEqual(defined.map((d) => [d.beat, d.event, d.title]));
    // Every beat's handler: from its handler-level DataBaton line, or from the handler error.
    expect(createBeats.map((b) => b.handlers)).toEqual(defined.map((d) => [d.handler]));
    expect(create.movementCount).toBe(2);
    // Repeated beat numbers stay separate beats, in order, each with its own handler.
    const exported = beats.filter((b) => b.sequenceRunId === runs[3]!.id);
    expect(exported.map((b) => [b.beat, b.position, b.event, b.handlers])).toEqual(
      EXPORT.movements[0]!.beats.map((d, i) => [d.beat, i + 1, d.event, [d.handler]]),
    );
    for (const b of beats) {
      expect(b.status).toBe('completed');
      expect(b.durationSource).toBe('performance-tracker');
      expect(b.durationMs).toBeGreaterThan(0);
    }
  });

  it('keeps a throwing handler as a handler error while the beat still completes', async () => {
    const { of } = await entitiesOf(file);
    const errors = of('handler-error') as HandlerError[];
    expect(errors).toHaveLength(1);
    const e = errors[0]!;
    expect([e.pluginId, e.handler, e.message]).toEqual([
      'CanvasComponentPlugin',
      'failCreateNode',
      'Error: failCreateNode refused the payload',
    ]);
    expect(e.stack[0]?.file).toContain('play-sequences.mjs');
    expect(e.beatStillCompleted).toBe(true);
    const beat = (of('beat-run') as BeatRun[]).find((b) => b.id === e.beatRunId);
    expect(beat?.event).toBe('canvas:component:create');
  });

  it('links async handlers that settle after their beat to the right beat', async () => {
    const { of } = await entitiesOf(file);
    const slow = (of('handler-run') as HandlerRun[]).filter((h) => h.handler === 'slowRegisterInstance');
    expect(slow).toHaveLength(1);
    expect(slow[0]!.settledAfterBeat).toBe(true);
    const beat = (of('beat-run') as BeatRun[]).find((b) => b.id === slow[0]!.beatRunId);
    expect(beat?.event).toBe('canvas:component:register-instance');
  });
});
