/**
 * Mutants of the demo app (examples/demo-app): one edit each to a handler module or a sequence JSON, applied to a
 * copy of the app. Used by test/replay/generated-tests.test.ts (the generated suite fails on the first four) and
 * by `npm run bench` (BEATSCOPE_BENCH=mutants: the share each of replay and the generated suite kills).
 * `observable` says whether the edit changes what the logs can show (beats, handlers, DataBaton keys, errors);
 * the others change values only, which replay does not compare and generated tests assert only where stable.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DemoMutant {
  readonly name: string;
  /** The sequence whose runs the edit changes. */
  readonly sequenceId: string;
  /** Path inside the demo app. */
  readonly file: string;
  readonly edit: (text: string) => string;
  readonly observable: boolean;
}

const SEARCH_TS = 'plugins/library/src/symphonies/search.symphony.ts';
const SEARCH_JSON = 'plugins/library/json-sequences/library-search.json';
const THEME_TS = 'plugins/header/src/symphonies/ui/ui.stage-crew.ts';
const ARRANGE_TS = 'plugins/canvas-component/src/symphonies/arrange/arrange.stage-crew.ts';
const ARRANGE_LAYOUT_TS = 'plugins/canvas-component/src/symphonies/arrange/arrange.layout.ts';
const SEARCH = 'library-search-symphony';
const THEME = 'header-ui-theme-toggle-symphony';
const ARRANGE = 'canvas-component-arrange-symphony';

const FILTER_START = 'export function filterComponents(_data: SearchData, ctx: HandlerContext) {\n';

export const DEMO_MUTANTS: readonly DemoMutant[] = [
  {
    name: 'no-baton-write',
    sequenceId: SEARCH,
    file: SEARCH_TS,
    edit: (t) => t.replace("  ctx.payload['published'] = true;\n", ''),
    observable: true,
  },
  {
    name: 'throws',
    sequenceId: SEARCH,
    file: SEARCH_TS,
    edit: (t) => t.replace(FILTER_START, "$&  throw new Error('inventory offline');\n"),
    observable: true,
  },
  {
    name: 'beats-reordered',
    sequenceId: SEARCH,
    file: SEARCH_JSON,
    edit: (t) => {
      const sequence = JSON.parse(t) as { movements: Array<{ beats: Array<Record<string, unknown>> }> };
      const beats = sequence.movements[0]!.beats;
      [beats[1], beats[2]] = [
        { ...beats[2]!, beat: 2 },
        { ...beats[1]!, beat: 3 },
      ];
      return JSON.stringify(sequence, null, 2);
    },
    observable: true,
  },
  {
    name: 'key-renamed',
    sequenceId: SEARCH,
    file: SEARCH_TS,
    edit: (t) => t.replace("ctx.payload['published'] = true;", "ctx.payload['isPublished'] = true;"),
    observable: true,
  },
  {
    name: 'delete-kept',
    sequenceId: SEARCH,
    file: SEARCH_TS,
    edit: (t) => t.replace("  delete ctx.payload['terms'];\n", ''),
    observable: true,
  },
  {
    name: 'theme-async-write-removed',
    sequenceId: THEME,
    file: THEME_TS,
    edit: (t) => t.replace("  ctx.payload['persisted'] = true;\n", ''),
    observable: true,
  },
  {
    name: 'theme-throws',
    sequenceId: THEME,
    file: THEME_TS,
    edit: (t) =>
      t.replace("  ctx.payload['previousTheme'] = current;\n", "$&  throw new Error('theme store locked');\n"),
    observable: true,
  },
  {
    name: 'arrange-extra-key',
    sequenceId: ARRANGE,
    file: ARRANGE_TS,
    edit: (t) => t.replace("  ctx.payload['applied'] = applied;\n", "$&  ctx.payload['appliedAt'] = Date.now();\n"),
    observable: true,
  },
  {
    name: 'arrange-key-renamed',
    sequenceId: ARRANGE,
    file: ARRANGE_LAYOUT_TS,
    edit: (t) => t.replace("ctx.payload['iterations'] = iterations;", "ctx.payload['rounds'] = iterations;"),
    observable: true,
  },
  {
    name: 'count-off-by-one',
    sequenceId: SEARCH,
    file: SEARCH_TS,
    edit: (t) =>
      t.replace("ctx.payload['resultCount'] = matches.length;", "ctx.payload['resultCount'] = matches.length + 1;"),
    observable: false,
  },
  {
    name: 'theme-inverted',
    sequenceId: THEME,
    file: THEME_TS,
    edit: (t) =>
      t.replace("ctx.payload['theme'] = current === 'light' ? 'dark' : 'light';", "ctx.payload['theme'] = current;"),
    observable: false,
  },
];

/** Applies a mutant to the app copy at `appDir`; throws when its edit no longer changes the file. */
export async function applyMutant(appDir: string, mutant: Pick<DemoMutant, 'name' | 'file' | 'edit'>): Promise<void> {
  const path = join(appDir, mutant.file);
  const text = await readFile(path, 'utf8');
  const changed = mutant.edit(text);
  if (changed === text) throw new Error(`mutant ${mutant.name} does not change ${mutant.file}: the demo app changed`);
  await writeFile(path, changed);
}
