import { resolve } from 'node:path';
import { ReplayInputError } from '../../replay/find-capture.js';
import { generateTests } from '../../replay/generate-tests.js';
import { writeTestFiles } from '../../replay/write-test-files.js';
import { catalogDirs } from '../../simulate/app-loader.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';

/** `beatscope tests generate`: one Vitest file per captured sequence (docs/replay.md#generated-tests). */
export async function runTestsGenerate(opts: {
  db: string;
  code: string;
  out: string;
  sequence?: string[];
  maxPerSequence?: number;
  force?: boolean;
}): Promise<void> {
  const appDir = resolve(opts.code);
  if (catalogDirs(appDir).length === 0) {
    throw new UsageError(
      `no plugin catalog under ${appDir}`,
      'expected plugins/<name>/package.json and plugins/<name>/json-sequences/index.json with the handler modules',
    );
  }
  const outDir = await prepareOutput(opts.out, 'dir');
  const store = await openStore(opts.db, 'read');
  try {
    const sequences = await generateTests({
      store,
      appDir,
      sequences: opts.sequence,
      maxPerSequence: opts.maxPerSequence,
    });
    if (sequences.length === 0) {
      throw new UsageError(
        opts.sequence?.length ? `no captured runs of ${opts.sequence.join(', ')}` : 'no captured sequence runs',
        'beatscope sql "select sequence_id, count(*) from sequence_runs group by 1"',
      );
    }
    const written = await writeTestFiles(sequences, outDir, appDir, opts.force === true).catch((error: unknown) => {
      if (!(error instanceof ReplayInputError)) throw error;
      throw new UsageError(`${error.message}${error.candidates.map((c) => `\n  ${c}`).join('')}`);
    });
    for (const [i, s] of sequences.entries()) {
      const todo = s.paths.filter((p) => p.notReproduced !== null).length;
      const note = todo > 0 ? ` (${todo} not reproduced from the logged inputs: they fail until filled in)` : '';
      process.stdout.write(
        `${written[i]}: ${s.paths.length} test${s.paths.length === 1 ? '' : 's'} from ${s.totalRuns} runs${note}\n`,
      );
    }
  } finally {
    await store.close();
  }
}
