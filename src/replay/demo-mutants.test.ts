import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoAppDir } from '../simulate/demo-app-dir.js';
import { applyMutant, DEMO_MUTANTS } from './demo-mutants.js';

describe('demo mutants', () => {
  it('each edits exactly its file of the current demo app, and names a sequence the app has', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beatscope-mutants-'));
    const sequenceIds: string[] = [];
    for (const plugin of await readdir(join(demoAppDir(), 'plugins'))) {
      const folder = join(demoAppDir(), 'plugins', plugin, 'json-sequences');
      for (const file of await readdir(folder)) {
        const json = JSON.parse(await readFile(join(folder, file), 'utf8')) as { id?: string };
        if (json.id) sequenceIds.push(json.id);
      }
    }
    try {
      expect(new Set(DEMO_MUTANTS.map((m) => m.name)).size).toBe(DEMO_MUTANTS.length);
      for (const mutant of DEMO_MUTANTS) {
        const app = join(dir, mutant.name);
        await cp(demoAppDir(), app, { recursive: true });
        await applyMutant(app, mutant);
        const before = await readFile(join(demoAppDir(), mutant.file), 'utf8');
        expect(await readFile(join(app, mutant.file), 'utf8')).not.toBe(before);
        expect(sequenceIds).toContain(mutant.sequenceId);
      }
      await expect(applyMutant(join(dir, DEMO_MUTANTS[0]!.name), DEMO_MUTANTS[0]!)).rejects.toThrow(
        'mutant no-baton-write does not change plugins/library/src/symphonies/search.symphony.ts: the demo app changed',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
