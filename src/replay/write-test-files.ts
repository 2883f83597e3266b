/**
 * Writes generated test files: `<out>/<sequence-id>.test.ts`. A file that exists without the generated MARKER
 * on its first line is the user's: unless `force`, nothing is written and the refusal names those files.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ReplayInputError } from './find-capture.js';
import type { GeneratedSequence } from './generate-tests.js';
import { MARKER, renderTestFile } from './render-test-file.js';

export function testFileName(sequenceId: string): string {
  return `${sequenceId.replace(/[^A-Za-z0-9._-]/g, '-')}.test.ts`;
}

/** Writes every file (absolute outDir and appDir); returns the paths written, in sequence order. */
export async function writeTestFiles(
  sequences: readonly GeneratedSequence[],
  outDir: string,
  appDir: string,
  force: boolean,
): Promise<string[]> {
  const appFromOut = relative(outDir, appDir) || '.';
  const files = sequences.map((s) => ({
    path: join(outDir, testFileName(s.sequenceId)),
    text: renderTestFile(s, appFromOut),
  }));
  if (!force) {
    const foreign: string[] = [];
    for (const f of files) {
      const existing = await readFile(f.path, 'utf8').catch(() => undefined);
      if (existing !== undefined && existing.split('\n', 1)[0] !== MARKER) foreign.push(f.path);
    }
    if (foreign.length > 0) {
      throw new ReplayInputError(
        'refusing to overwrite files beatscope did not generate (pass --force to replace them)',
        foreign,
      );
    }
  }
  for (const f of files) await writeFile(f.path, f.text);
  return files.map((f) => f.path);
}
