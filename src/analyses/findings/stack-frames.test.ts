/**
 * FrameMapper on real stacks of a bundled, minified app (esbuild, run by Node without source-map support): the
 * top in-app frame maps back through the bundle's source map to the `.ts` line that threw.
 */
import { copyFile, mkdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BundledApp,
  bundle,
  GUARDED_CALL_LINE,
  runBundle,
  stacksOf,
  UPDATE_THROW_LINE,
  writeApp,
} from '../../../test/analyses/bundled-app.js';
import type { CodeIndex } from '../../model/code-index.js';
import type { StackFrame } from '../../model/events.js';
import { MAX_SOURCE_MAP_BYTES, SourceMaps } from './source-maps.js';
import { FrameMapper } from './stack-frames.js';

const index = (root: string): CodeIndex => ({ root, sequences: [], handlers: [], tests: [], topics: [], problems: [] });

let app: BundledApp;
/** Stacks of `update` and `guarded` from the bundle with an external map, inline map, and no map. */
let external: StackFrame[][];
let inline: StackFrame[][];
let unmapped: StackFrame[][];
beforeAll(async () => {
  app = await writeApp();
  await bundle(app.root, 'src/main.ts', 'dist/app.js', true);
  await bundle(app.root, 'src/main.ts', 'dist/inline.js', 'inline');
  await bundle(app.root, 'src/main.ts', 'dist/plain.js', false);
  external = stacksOf(runBundle(app.root, 'dist/app.js'));
  inline = stacksOf(runBundle(app.root, 'dist/inline.js'));
  unmapped = stacksOf(runBundle(app.root, 'dist/plain.js'));
}, 60_000);
afterAll(() => app?.cleanup());

describe('FrameMapper through source maps', () => {
  it('maps a minified bundle frame to the original file, line and function (external .map)', () => {
    const [update] = external;
    // The printed frame names the bundle and a minified function, as a production log does.
    expect(update![0]!.file).toMatch(new RegExp(`^(file://)?${app.root}/dist/app\\.js$`));
    expect(update![0]!.fn).not.toBe('update');
    expect(new FrameMapper(index(app.root)).topAppFrame(update!)).toEqual({
      fn: 'update',
      file: 'src/handlers/update.ts',
      line: UPDATE_THROW_LINE,
      mapped: true,
    });
  });

  it('reads an inline base64 map the same way', () => {
    expect(inline[0]![0]!.file).toMatch(new RegExp(`^(file://)?${app.root}/dist/inline\\.js$`));
    expect(new FrameMapper(index(app.root)).topAppFrame(inline[0]!)).toEqual({
      fn: 'update',
      file: 'src/handlers/update.ts',
      line: UPDATE_THROW_LINE,
      mapped: true,
    });
  });

  it('skips a bundled frame whose source is under node_modules and maps the caller', () => {
    const [, guarded] = external;
    // The throwing frame is in the bundle too; only its map says it is tiny-guard's code.
    expect(guarded![0]!.file).toMatch(new RegExp(`^(file://)?${app.root}/dist/app\\.js$`));
    expect(new FrameMapper(index(app.root)).topAppFrame(guarded!)).toEqual({
      fn: 'guarded',
      file: 'src/handlers/guarded.ts',
      line: GUARDED_CALL_LINE,
      mapped: true,
    });
  });

  it('keeps the bundle frame as before when the repository has no map for it', () => {
    const top = unmapped[0]![0]!;
    expect(new FrameMapper(index(app.root)).topAppFrame(unmapped[0]!)).toEqual({
      fn: top.fn,
      file: 'dist/plain.js',
      line: top.line,
      mapped: true,
    });
  });

  it('keeps the bundle frame when the indexed repository is not on disk', () => {
    const elsewhere = '/nonexistent/beatscope-repo';
    const frame = { ...external[0]![0]!, file: `${elsewhere}/dist/app.js` };
    expect(new FrameMapper(index(elsewhere)).topAppFrame([frame])).toEqual({
      fn: frame.fn,
      file: 'dist/app.js',
      line: frame.line,
      mapped: true,
    });
  });

  it('uses the .map beside a bundle without a sourceMappingURL comment', async () => {
    const code = await readFile(join(app.root, 'dist/app.js'), 'utf8');
    await writeFile(join(app.root, 'dist/bare.js'), code.replace(/\/\/# sourceMappingURL=.*\n?$/, ''));
    await copyFile(join(app.root, 'dist/app.js.map'), join(app.root, 'dist/bare.js.map'));
    const frames = external[0]!.map((f) => ({ ...f, file: f.file.replace('/dist/app.js', '/dist/bare.js') }));
    expect(new FrameMapper(index(app.root)).topAppFrame(frames)).toMatchObject({
      file: 'src/handlers/update.ts',
      line: UPDATE_THROW_LINE,
    });
  });
});

describe('SourceMaps reads only inside the indexed root', () => {
  /** The bundle and a map whose sources lead back into the repository, placed outside it. */
  let outside: string;
  beforeAll(async () => {
    outside = `${app.root}-outside`;
    await mkdir(join(outside, 'dist'), { recursive: true });
    await copyFile(join(app.root, 'dist/app.js'), join(outside, 'dist/app.js'));
    const map = JSON.parse(await readFile(join(app.root, 'dist/app.js.map'), 'utf8'));
    await writeFile(join(outside, 'dist/app.js.map'), JSON.stringify({ ...map, sourceRoot: `${app.root}/dist` }));
    await symlink(join(outside, 'dist/app.js'), join(app.root, 'dist/linked.js'));
  });
  afterAll(() => rm(outside, { recursive: true, force: true }));

  it('maps the outside bundle only when its own directory is the root', () => {
    const top = external[0]![0]!;
    // Control: read from its own root, that map leads to the repository's update.ts.
    expect(new SourceMaps(outside).original('dist/app.js', top.line!, top.column!)).toEqual({
      source: join(app.root, 'src/handlers/update.ts'),
      line: UPDATE_THROW_LINE,
      name: null,
    });
    const maps = new SourceMaps(app.root);
    const escaping = `../${outside.split('/').pop()}/dist/app.js`;
    expect(maps.original(escaping, top.line!, top.column!)).toBeNull();
    expect(maps.original('dist/linked.js', top.line!, top.column!)).toBeNull();
    expect(maps.original('../../../../../../etc/passwd.js', 1, 1)).toBeNull();
  });

  it('does not follow a logged path out of the root', () => {
    const top = external[0]![0]!;
    const frame = { ...top, file: `${app.root}/../${outside.split('/').pop()}/dist/app.js` };
    const result = new FrameMapper(index(app.root)).topAppFrame([frame]);
    expect(result?.file).not.toBe('src/handlers/update.ts');
    expect(result?.line).toBe(top.line);
  });

  it('skips a bundle over the size cap with a note', async () => {
    // Sparse: the size is reported without writing 64 MiB.
    await writeFile(join(app.root, 'dist/huge.js'), '');
    await truncate(join(app.root, 'dist/huge.js'), MAX_SOURCE_MAP_BYTES + 1);
    const maps = new SourceMaps(app.root);
    expect(maps.original('dist/huge.js', 1, 1)).toBeNull();
    expect(maps.notes).toEqual([
      'dist/huge.js is 64 MiB, over the 64 MiB read for source maps: its stack frames are not mapped to their sources.',
    ]);
  });
});
