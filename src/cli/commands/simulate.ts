import { demoAppDir } from '../../simulate/demo-app-dir.js';
import { simulate } from '../../simulate/simulate.js';
import { prepareOutput } from '../output-path.js';

export async function runSimulate(opts: { out: string; sessions: number; seed: number }): Promise<void> {
  const outDir = await prepareOutput(opts.out, 'dir');
  const truth = await simulate({ appDir: demoAppDir(), outDir, sessions: opts.sessions, seed: opts.seed });
  process.stdout.write(`wrote ${truth.sessions.length} session logs and ground-truth.json to ${outDir}\n`);
}
