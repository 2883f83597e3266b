/**
 * The real RenderX sequences and manifests (test/fixtures/renderx, copied from the shared corpus) with a real
 * RenderX console: the fixtures hold sequence JSON and manifests but no handler modules (`handlersPath`
 * `@renderx-web/library` … are browser packages not in the corpus), so neither replay nor tests generate can
 * mount anything. Both say so, exit 2, and write nothing (docs/replay.md, "RenderX").
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beatscope, ROOT } from '../cli/run-beatscope.js';

const RENDERX = join(ROOT, 'test/fixtures/renderx');
const LOG = join(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log');
const HINT =
  'hint: expected plugins/<name>/package.json and plugins/<name>/json-sequences/index.json with the handler modules';

describe('replay and tests generate on the RenderX corpus', () => {
  let work: string;
  let db: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'beatscope-renderx-'));
    db = join(work, 'store.duckdb');
    expect(beatscope('ingest', LOG, '--db', db).code).toBe(0);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('finds the captured run but has no handler code to mount', () => {
    const r = beatscope('replay', 'library-load-symphony-1761945322362-xmn12t3tr', '--code', RENDERX, '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`beatscope: no plugin catalog under ${RENDERX}\n${HINT}\n`);
  });

  it('generates nothing', () => {
    const out = join(work, 'generated');
    const r = beatscope('tests', 'generate', '--code', RENDERX, '--out', out, '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`beatscope: no plugin catalog under ${RENDERX}\n${HINT}\n`);
    expect(existsSync(out)).toBe(false);
  });
});
