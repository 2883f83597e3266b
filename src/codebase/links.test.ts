/** Plugin-scoped resolution (name collisions), circular re-exports, and test → handler evidence. */
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
import { indexCodebase } from './index-codebase.js';

const files: RepoFiles = {
  'plugins/a/package.json': pkg('@x/a'),
  'plugins/a/json-sequences/index.json': { sequences: [{ file: 'a.json', handlersPath: '@x/a' }] },
  'plugins/a/json-sequences/a.json': sequenceJson('APlugin', 'a-seq', [
    ['a:load', 'loadThing'],
    ['a:notify', 'notifyUi'],
  ]),
  'plugins/a/src/index.ts': "export { handlers } from './symphonies/a.symphony';\n",
  'plugins/a/src/symphonies/a.symphony.ts':
    "import { loadThing } from '../load';\nexport const handlers = {\n  loadThing,\n  notifyUi() {},\n};\n",
  'plugins/a/src/load.ts': 'export function loadThing() {}\n',
  'plugins/b/package.json': pkg('@x/b'),
  'plugins/b/json-sequences/index.json': { sequences: [{ file: 'b.json', handlersPath: '@x/b' }] },
  'plugins/b/json-sequences/b.json': {
    ...sequenceJson('BPlugin', 'b-seq', [['b:notify', 'notifyUi']]),
    movements: [
      {
        name: 'Main',
        beats: [
          {
            beat: 1,
            event: 'b:notify',
            handler: 'notifyUi',
            testFile: '__tests__\\linked.spec.ts',
            testCase: 'linked case',
          },
          { beat: 2, event: 'b:gone', handler: 'notifyUi', testFile: 'node_modules\\@old\\b\\__tests__\\gone.spec.ts' },
        ],
      },
    ],
  },
  'plugins/b/src/index.ts': 'export const handlers = {\n  notifyUi: (x: unknown) => x,\n};\n',
  'plugins/a/__tests__/a.spec.ts': [
    "import { describe, expect, it } from 'vitest';",
    "import { handlers as createHandlers } from '../src/symphonies/a.symphony';",
    "import { loadThing as load } from '../src/load';",
    "describe('A plugin', () => {",
    "  it('notifyUi - sends', () => {",
    '    createHandlers.notifyUi();',
    '  });',
    "  describe('loading', () => {",
    "    it('loads', () => {",
    '      load();',
    '      expect(1).toBe(1);',
    '    });',
    '  });',
    '  /**',
    '   * @ac test-domain:a-seq:1.2:1',
    '   */',
    "  it('documented', () => {});",
    '});',
  ].join('\n'),
  'plugins/b/__tests__/handlers.spec.ts': [
    "import { it } from 'vitest';",
    "it('notifyUi - only mentioned', () => {});",
    "it('[AC:test-domain:b-seq:1.1:1] tagged', () => {});",
  ].join('\n'),
  'plugins/b/__tests__/linked.spec.ts': "import { test } from 'vitest';\ntest('linked case', () => {});\n",
  'plugins/b/cypress/e2e/flow.cy.ts':
    "describe('flow', () => {\n  it('visits', () => {\n    cy.visit('/');\n  });\n});\n",
  'e2e/app.spec.ts':
    "import { test } from '@playwright/test';\ntest.describe('app', () => {\n  test('opens', async () => {});\n});\n",
  'tests/jest.test.js': "describe('j', () => {\n  test('mocks', () => {\n    jest.fn();\n  });\n});\n",
  'plugins/c/package.json': pkg('@x/c'),
  'plugins/c/json-sequences/index.json': { sequences: [{ file: 'c.json', handlersPath: '@x/c' }] },
  'plugins/c/json-sequences/c.json': sequenceJson('CPlugin', 'c-seq', [['c:go', 'go']]),
  'plugins/c/src/index.ts': "export { handlers } from './a';\n",
  'plugins/c/src/a.ts': "export { handlers } from './b';\n",
  'plugins/c/src/b.ts': "export { handlers } from './a';\n",
};

let dir: string;
let index: CodeIndex;
beforeAll(async () => {
  dir = writeRepo(files);
  index = (await indexCodebase(dir)).index;
});
afterAll(() => removeRepo(dir));

const handler = (name: string, pluginId: string) =>
  index.handlers.find((h) => h.handler === name && h.pluginId === pluginId)!;
const links = (name: string, pluginId: string) =>
  handler(name, pluginId).tests.map((t) => `${t.evidence} ${t.test.file}:${t.test.line} ${t.test.name}`);

describe('plugin scoping', () => {
  it('resolves one name used by two plugins to each plugin’s own file', () => {
    expect(handler('notifyUi', 'APlugin').location).toEqual(
      locate(files, 'plugins/a/src/symphonies/a.symphony.ts', 'notifyUi'),
    );
    expect(handler('notifyUi', 'BPlugin').location).toEqual(locate(files, 'plugins/b/src/index.ts', 'notifyUi'));
  });

  it('reports a circular re-export and leaves the handler unresolved with candidates', () => {
    const go = handler('go', 'CPlugin');
    expect(go.location).toBeNull();
    expect(go.unresolvedReason).toMatch(/^circular re-export: plugins\/c\/src\/a\.ts#handlers → /);
    const cycles = index.problems.filter((p) => p.message.startsWith('circular re-export'));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.file).toMatch(/^plugins\/c\/src\/[ab]\.ts$/);
  });
});

describe('test → handler links', () => {
  it('import-call through a renamed handlers object and a renamed function import', () => {
    expect(links('notifyUi', 'APlugin')).toEqual([
      'import-call plugins/a/__tests__/a.spec.ts:5 A plugin › notifyUi - sends',
      'ac-tag plugins/a/__tests__/a.spec.ts:17 A plugin › documented',
    ]);
    expect(links('loadThing', 'APlugin')).toEqual([
      'import-call plugins/a/__tests__/a.spec.ts:9 A plugin › loading › loads',
    ]);
  });

  it('name-reference is scoped to the test’s plugin; AC tags and sequence testFile/testCase link beats', () => {
    expect(links('notifyUi', 'BPlugin')).toEqual([
      'name-reference plugins/b/__tests__/handlers.spec.ts:2 notifyUi - only mentioned',
      'ac-tag plugins/b/__tests__/handlers.spec.ts:3 [AC:test-domain:b-seq:1.1:1] tagged',
      'sequence-test-link plugins/b/__tests__/linked.spec.ts:2 linked case',
    ]);
  });

  it('reports a stale testFile link with its sequence file', () => {
    const stale = index.problems.filter((p) => p.message.startsWith('stale testFile link'));
    expect(stale).toHaveLength(1);
    expect(stale[0]!.file).toBe('plugins/b/json-sequences/b.json');
    expect(stale[0]!.message).toContain('node_modules/@old/b/__tests__/gone.spec.ts');
  });

  it('detects frameworks and names test cases with 1-based lines', () => {
    const byFile = Object.fromEntries(index.tests.map((t) => [t.file, t]));
    expect(byFile['plugins/b/cypress/e2e/flow.cy.ts']).toEqual({
      file: 'plugins/b/cypress/e2e/flow.cy.ts',
      line: 2,
      name: 'flow › visits',
      framework: 'cypress',
    });
    expect(byFile['e2e/app.spec.ts']).toMatchObject({ line: 3, name: 'app › opens', framework: 'playwright' });
    expect(byFile['tests/jest.test.js']).toMatchObject({ line: 2, name: 'j › mocks', framework: 'jest' });
    expect(byFile['plugins/a/__tests__/a.spec.ts']?.framework).toBe('vitest');
    expect(index.tests).toHaveLength(9);
  });
});
