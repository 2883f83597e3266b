import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  locate,
  pkg,
  type RepoFiles,
  removeRepo,
  sequenceJson,
  writeRepo,
} from '../../test/fixtures/codebase/write-repo.js';
import type { CodeIndex } from '../model/code-index.js';
import { detectDrift } from './drift.js';
import { indexCodebase } from './index-codebase.js';
import { findCode, resolveBeat } from './query.js';

const cc = 'plugins/canvas-component';
const files: RepoFiles = {
  [`${cc}/package.json`]: pkg('@x/canvas-component'),
  [`${cc}/json-sequences/index.json`]: {
    sequences: ['create.json', 'augment.json', 'export.json'].map((file) => ({
      file,
      handlersPath: '@x/canvas-component',
    })),
  },
  [`${cc}/json-sequences/create.json`]: sequenceJson('CanvasComponentPlugin', 'create', [
    ['canvas:component:resolve-template', 'resolveTemplate'],
    ['canvas:component:create', 'createNode'],
    ['canvas:component:notify-ui', 'notifyUi'],
  ]),
  [`${cc}/json-sequences/augment.json`]: sequenceJson('CanvasComponentPlugin', 'augment', [
    ['canvas:component:augment:line', 'enhanceLine'],
  ]),
  [`${cc}/json-sequences/export.json`]: {
    ...sequenceJson('CanvasComponentPlugin', 'export', []),
    movements: [
      {
        name: 'Export',
        beats: [1, 2, 3, 3].map((beat, i) => ({
          beat,
          event: `export:${i}`,
          handler: i === 3 ? 'notifyUi' : `step${i}`,
        })),
      },
    ],
  },
  [`${cc}/src/index.ts`]: [
    "import { notifyUi } from './notify';",
    'export function resolveTemplate() {}',
    'export function createNode() {}',
    'export function enhanceLine() {}',
    'export const step0 = () => 0;',
    'export const handlers = { resolveTemplate, createNode, notifyUi, enhanceLine, step0 };',
  ].join('\n'),
  [`${cc}/src/notify.ts`]: 'export function notifyUi() {}\n',
  [`${cc}/__tests__/create.spec.ts`]:
    "import { it } from 'vitest';\nimport { createNode } from '../src/index';\nit('creates', () => createNode());\n",
  'plugins/header/package.json': pkg('@x/header'),
  'plugins/header/json-sequences/index.json': { sequences: [{ file: 'theme.json', handlersPath: '@x/header' }] },
  'plugins/header/json-sequences/theme.json': sequenceJson('HeaderThemePlugin', 'theme', [
    ['app:ui:theme:notify', 'notifyUi'],
  ]),
  'plugins/header/src/index.ts': 'export const handlers = {\n  notifyUi() {},\n};\n',
};

let dir: string;
let index: CodeIndex;
beforeAll(async () => {
  dir = writeRepo(files);
  index = (await indexCodebase(dir)).index;
});
afterAll(() => removeRepo(dir));

describe('findCode', () => {
  it('finds a handler with its sequences and tests', () => {
    expect(findCode(index, 'createNode')).toEqual({
      kind: 'handler',
      handler: 'createNode',
      plugin: 'CanvasComponentPlugin',
      ...locate(files, `${cc}/src/index.ts`, 'createNode'),
      sequences: [{ id: 'create', beat: 2, event: 'canvas:component:create' }],
      tests: [{ file: `${cc}/__tests__/create.spec.ts`, line: 3, name: 'creates', evidence: 'import-call' }],
    });
  });

  it('is ambiguous across plugins, and resolved with --plugin', () => {
    const amb = findCode(index, 'notifyUi');
    expect(amb).toMatchObject({ kind: 'ambiguous', ambiguous: true });
    if (amb.kind !== 'ambiguous') throw new Error('expected ambiguity');
    expect(amb.reason).toBe(
      "handler 'notifyUi' is defined for 2 plugins (CanvasComponentPlugin, HeaderThemePlugin); pass --plugin",
    );
    expect(amb.candidates.map((c) => c.location?.file)).toEqual([`${cc}/src/notify.ts`, 'plugins/header/src/index.ts']);
    const header = findCode(index, 'notifyUi', { pluginId: 'HeaderThemePlugin' });
    expect(header).toMatchObject({ kind: 'handler', file: 'plugins/header/src/index.ts', line: 2, column: 3 });
    const canvas = findCode(index, 'notifyUi', { pluginId: 'CanvasComponentPlugin' });
    expect(canvas.kind === 'handler' && canvas.sequences.map((s) => `${s.id}:${s.beat}`)).toEqual([
      'create:3',
      'export:3',
    ]);
  });

  it('looks up events and sequence ids; reports unknown names and unresolved handlers', () => {
    expect(findCode(index, 'canvas:component:augment:line')).toMatchObject({ kind: 'handler', handler: 'enhanceLine' });
    expect(findCode(index, 'augment')).toMatchObject({ kind: 'handler', handler: 'enhanceLine' });
    expect(findCode(index, 'create')).toMatchObject({
      kind: 'ambiguous',
      reason: "sequence 'create' resolves to 3 different definitions",
    });
    expect(findCode(index, 'nope')).toEqual({
      kind: 'unresolved',
      query: 'nope',
      reason: "'nope' is no handler, beat event or sequence id in the index",
      candidates: [],
    });
    const step1 = findCode(index, 'step1');
    expect(step1).toMatchObject({ kind: 'unresolved', reason: `no key 'step1' in the object in ${cc}/src/index.ts` });
    // A sequence names it: the handler and its sequences are known even though its source is not.
    expect(step1).toMatchObject({
      named: {
        handler: 'step1',
        plugin: 'CanvasComponentPlugin',
        sequences: [{ id: 'export', beat: 2, event: 'export:1' }],
      },
    });
  });
});

describe('resolveBeat', () => {
  it('keeps repeated beat numbers apart by position', () => {
    const threes = resolveBeat(index, { sequenceId: 'export' }).filter((m) => m.beat.beat === 3);
    expect(threes.map((m) => [m.beat.position, m.beat.event, m.handler?.location?.file ?? null])).toEqual([
      [3, 'export:2', null],
      [4, 'export:3', `${cc}/src/notify.ts`],
    ]);
  });

  it('matches by plugin and event', () => {
    const [m] = resolveBeat(index, { pluginId: 'HeaderThemePlugin', event: 'app:ui:theme:notify' });
    expect(m?.handler?.location).toEqual({ file: 'plugins/header/src/index.ts', line: 2, column: 3 });
  });
});

describe('detectDrift', () => {
  it('reports a beat that moved to another sequence and a beat never run', () => {
    const observed = [
      {
        sequenceId: 'create',
        beats: [
          { beat: 1, event: 'canvas:component:resolve-template', handler: 'resolveTemplate' },
          { beat: 2, event: 'canvas:component:create', handler: 'createNode' },
          { beat: 3, event: 'canvas:component:notify-ui', handler: 'notifyUi' },
          { beat: 6, event: 'canvas:component:augment:line', handler: 'enhanceLine' },
        ],
      },
      { sequenceId: 'theme', beats: [] },
      { sequenceId: 'ghost', beats: [{ beat: 1, event: 'x', handler: null }] },
    ];
    expect(detectDrift(index, observed)).toEqual([
      {
        sequenceId: 'create',
        defined: true,
        inSync: false,
        extraInRuns: [
          { beat: 6, event: 'canvas:component:augment:line', handler: 'enhanceLine', definedIn: ['augment'] },
        ],
        missingFromRuns: [],
      },
      {
        sequenceId: 'theme',
        defined: true,
        inSync: false,
        extraInRuns: [],
        missingFromRuns: [{ beat: 1, event: 'app:ui:theme:notify', handler: 'notifyUi' }],
      },
      {
        sequenceId: 'ghost',
        defined: false,
        inSync: false,
        extraInRuns: [{ beat: 1, event: 'x', handler: null, definedIn: [] }],
        missingFromRuns: [],
      },
    ]);
  });
});
