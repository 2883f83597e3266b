/** One synthetic repository per handler definition style of CODEBASE_MAPPING.md §3. */
import { afterAll, describe, expect, it } from 'vitest';
import {
  locate,
  pkg,
  type RepoFiles,
  removeRepo,
  sequenceJson,
  writeRepo,
} from '../../test/fixtures/codebase/write-repo.js';
import { indexCodebase } from './index-codebase.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeRepo(d);
});

async function index(files: RepoFiles) {
  const dir = writeRepo(files);
  dirs.push(dir);
  return (await indexCodebase(dir)).index;
}

const where = (idx: Awaited<ReturnType<typeof index>>, handler: string, pluginId?: string) =>
  idx.handlers
    .filter((h) => h.handler === handler && (pluginId === undefined || h.pluginId === pluginId))
    .map((h) => h.location ?? h.unresolvedReason);

describe('handler definition styles', () => {
  it('styles 1–3: aggregating index with spreads, aliased keys and renamed imports; per-symphony objects; re-exports', async () => {
    const cc = 'plugins/canvas-component';
    const files: RepoFiles = {
      [`${cc}/package.json`]: pkg('@x/canvas-component'),
      [`${cc}/json-sequences/index.json`]: {
        sequences: [{ file: 'create.json', handlersPath: '@x/canvas-component' }],
      },
      [`${cc}/json-sequences/create.json`]: sequenceJson('CanvasComponentPlugin', 'create', [
        ['c:resolve', 'resolveTemplate'],
        ['c:create', 'createNode'],
        ['c:notify', 'notifyUi'],
        ['c:deselect', 'routeDeselectionRequest'],
      ]),
      [`${cc}/src/index.ts`]: [
        "import { handlers as createHandlers } from './symphonies/create/create.symphony.js';",
        "import { notifyUi as notifyUiSelection, routeDeselectionRequest as routeDeselectionRequestDeselection } from './symphonies/select/select.stage-crew';",
        'export const handlers = {',
        '  ...createHandlers,',
        '  notifyUi: notifyUiSelection,',
        '  routeDeselectionRequest: routeDeselectionRequestDeselection,',
        '};',
      ].join('\n'),
      [`${cc}/src/symphonies/create/create.symphony.ts`]: "export { handlers } from './create.stage-crew';\n",
      [`${cc}/src/symphonies/create/create.stage-crew.ts`]: [
        "import { resolveTemplate } from './create.arrangement';",
        'export function createNode(data: unknown) {',
        '  return data;',
        '}',
        'export const handlers = { resolveTemplate, createNode };',
      ].join('\n'),
      [`${cc}/src/symphonies/create/create.arrangement.ts`]:
        'export const resolveTemplate = async (d: unknown) => d;\n',
      [`${cc}/src/symphonies/select/select.stage-crew.ts`]: [
        'export function notifyUi() {}',
        'export const routeDeselectionRequest = function () {};',
      ].join('\n'),
    };
    const idx = await index(files);
    expect(idx.problems).toEqual([]);
    expect(where(idx, 'resolveTemplate')).toEqual([
      locate(files, `${cc}/src/symphonies/create/create.arrangement.ts`, 'resolveTemplate'),
    ]);
    expect(where(idx, 'createNode')).toEqual([
      locate(files, `${cc}/src/symphonies/create/create.stage-crew.ts`, 'createNode'),
    ]);
    expect(where(idx, 'notifyUi')).toEqual([
      locate(files, `${cc}/src/symphonies/select/select.stage-crew.ts`, 'notifyUi'),
    ]);
    expect(where(idx, 'routeDeselectionRequest')).toEqual([
      locate(files, `${cc}/src/symphonies/select/select.stage-crew.ts`, 'routeDeselectionRequest'),
    ]);
  });

  it('style 4: method-style object literal in a deep handlersPath module', async () => {
    const lib = 'ui-plugins/library';
    const files: RepoFiles = {
      [`${lib}/package.json`]: pkg('@x/library'),
      [`${lib}/json-sequences/index.json`]: {
        sequences: [{ file: 'load.json', handlersPath: '@x/library/symphonies/load.symphony' }],
      },
      [`${lib}/json-sequences/load.json`]: sequenceJson('LibraryPlugin', 'library-load', [
        ['library:components:load', 'loadComponents'],
        ['library:components:notify-ui', 'notifyUi'],
      ]),
      [`${lib}/src/symphonies/load.symphony.ts`]: [
        'export const handlers = {',
        '  async loadComponents(data: unknown, ctx: unknown) {',
        '    return [data, ctx];',
        '  },',
        '  notifyUi: (data: unknown) => data,',
        '};',
      ].join('\n'),
    };
    const idx = await index(files);
    expect(idx.sequences[0]!.handlersPath).toBe('@x/library/symphonies/load.symphony');
    expect(where(idx, 'loadComponents')).toEqual([
      locate(files, `${lib}/src/symphonies/load.symphony.ts`, 'loadComponents'),
    ]);
    expect(where(idx, 'notifyUi')).toEqual([locate(files, `${lib}/src/symphonies/load.symphony.ts`, 'notifyUi')]);
  });

  it('style 5: member picks and a renamed export (`export { mergedHandlers as handlers }`)', async () => {
    const lc = 'runtime/library-component';
    const files: RepoFiles = {
      [`${lc}/package.json`]: pkg('@x/library-component'),
      [`${lc}/json-sequences/index.json`]: { sequences: [{ file: 'drag.json', handlersPath: '@x/library-component' }] },
      [`${lc}/json-sequences/drag.json`]: sequenceJson('LibraryComponentPlugin', 'drag', [
        ['drag.start', 'onDragStart'],
        ['drop', 'publishCreateRequested'],
      ]),
      [`${lc}/src/index.ts`]: [
        "import { handlers as dragHandlers } from './symphonies/drag.symphony';",
        "import * as drop from './symphonies/drop.symphony';",
        'const mergedHandlers = {',
        '  onDragStart: dragHandlers.onDragStart,',
        '  publishCreateRequested: drop.handlers.publishCreateRequested,',
        '};',
        'export { mergedHandlers as handlers };',
      ].join('\n'),
      [`${lc}/src/symphonies/drag.symphony.ts`]:
        'export const handlers = {\n  onDragStart(e: unknown) { return e; },\n};\n',
      [`${lc}/src/symphonies/drop.symphony.ts`]: 'export const handlers = {\n  publishCreateRequested() {},\n};\n',
    };
    const idx = await index(files);
    expect(where(idx, 'onDragStart')).toEqual([locate(files, `${lc}/src/symphonies/drag.symphony.ts`, 'onDragStart')]);
    expect(where(idx, 'publishCreateRequested')).toEqual([
      locate(files, `${lc}/src/symphonies/drop.symphony.ts`, 'publishCreateRequested'),
    ]);
  });

  it('style 6: inline conductor.mount({...}) literal in register(), pluginId from a const 3rd argument', async () => {
    const files: RepoFiles = {
      'lib/package.json': pkg('@x/lib'),
      'lib/src/index.ts': [
        "import { handlers } from './symphonies/preview.symphony';",
        "const PLUGIN = 'LibraryPlugin';",
        "const EVENT = 'library:preview';",
        'export function register(conductor: { mount: (...a: unknown[]) => void }) {',
        '  conductor.mount(',
        "    { id: 'library-preview', name: 'Library Preview', movements: [{ name: 'Preview', beats: [",
        "      { beat: 1, event: EVENT, handler: 'previewComponent', title: 'Preview' },",
        "      { number: 2, event: 'library:preview:done', handler: 'notifyUi', name: 'Done' },",
        '    ] }] },',
        '    handlers,',
        '    PLUGIN,',
        '  );',
        '}',
      ].join('\n'),
      'lib/src/symphonies/preview.symphony.ts':
        'export function previewComponent() {}\nexport function notifyUi() {}\nexport const handlers = { previewComponent, notifyUi };\n',
    };
    const idx = await index(files);
    expect(idx.sequences).toHaveLength(1);
    const seq = idx.sequences[0]!;
    expect(seq).toMatchObject({
      id: 'library-preview',
      name: 'Library Preview',
      pluginId: 'LibraryPlugin',
      origin: 'typescript',
    });
    expect(seq.source).toEqual({ ...locate(files, 'lib/src/index.ts', 'conductor.mount') });
    expect(seq.movements[0]!.beats.map((b) => [b.beat, b.event, b.title])).toEqual([
      [1, 'library:preview', 'Preview'],
      [2, 'library:preview:done', 'Done'],
    ]);
    expect(where(idx, 'previewComponent', 'LibraryPlugin')).toEqual([
      locate(files, 'lib/src/symphonies/preview.symphony.ts', 'previewComponent'),
    ]);
  });

  it('style 7: one handler per file, re-exported from an index without a handlers object', async () => {
    const sh = 'packages/self-healing';
    const files: RepoFiles = {
      [`${sh}/package.json`]: pkg('@x/self-healing'),
      [`${sh}/json-sequences/package.json`]: pkg('not-a-sequence'),
      [`${sh}/json-sequences/tsconfig.json`]: { compilerOptions: {} },
      [`${sh}/json-sequences/index.json`]: {
        sequences: [{ file: 'telemetry.json', handlersPath: '@x/self-healing/handlers' }],
      },
      [`${sh}/json-sequences/telemetry.json`]: sequenceJson('SelfHealingPlugin', 'telemetry-parse', [
        ['telemetry.parse.requested', 'parseTelemetryRequested'],
      ]),
      [`${sh}/src/handlers/index.ts`]:
        "export { parseTelemetryRequested } from './telemetry/parse.requested.js';\nexport * from './other';\n",
      [`${sh}/src/handlers/other.ts`]: 'export function other() {}\n',
      [`${sh}/src/handlers/telemetry/parse.requested.ts`]:
        '/** Parses. */\nexport function parseTelemetryRequested(input: string) {\n  return input;\n}\n',
    };
    const idx = await index(files);
    expect(idx.problems).toEqual([]);
    expect(where(idx, 'parseTelemetryRequested')).toEqual([
      locate(files, `${sh}/src/handlers/telemetry/parse.requested.ts`, 'parseTelemetryRequested'),
    ]);
  });

  it('style 8: orchestration wrappers with `number`/`name` beats and `{name: "module#export"}` handlers', async () => {
    const files: RepoFiles = {
      'packages/orchestration/json-sequences/header-flow.json': {
        $schema: './schema.json',
        domainId: 'orchestration-domain',
        musicalSequence: {
          id: 'header-flow',
          name: 'Header Flow',
          beats: 2,
          movements: [
            {
              name: 'Gather',
              beats: [
                {
                  number: 1,
                  name: 'Get theme',
                  handler: { name: 'header/ui#getCurrentTheme', scope: 'plugin', kind: 'plugin' },
                },
                { number: 1, name: 'Repeat', handler: { name: 'header/ui#getCurrentTheme' } },
                { number: 2, name: 'No handler', handlerDef: { name: 'gone/module#missing' } },
              ],
            },
          ],
        },
      },
      'packages/header/src/header/ui.ts': 'export function getCurrentTheme() {\n  return "dark";\n}\n',
    };
    const idx = await index(files);
    const seq = idx.sequences[0]!;
    expect(seq).toMatchObject({
      id: 'header-flow',
      name: 'Header Flow',
      domainId: 'orchestration-domain',
      pluginId: null,
    });
    const beats = seq.movements[0]!.beats;
    expect(beats.map((b) => [b.beat, b.position, b.title, b.handler, b.handlerModule])).toEqual([
      [1, 1, 'Get theme', 'getCurrentTheme', 'header/ui'],
      [1, 2, 'Repeat', 'getCurrentTheme', 'header/ui'],
      [2, 3, 'No handler', 'missing', 'gone/module'],
    ]);
    expect(where(idx, 'getCurrentTheme')).toEqual([
      locate(files, 'packages/header/src/header/ui.ts', 'getCurrentTheme'),
    ]);
    expect(where(idx, 'missing')).toEqual(["handler module 'gone/module' matches no indexed module"]);
  });
});
