import { demoAppDir } from '../../simulate/demo-app-dir.js';
import type { FaultOptions } from '../../simulate/faults.js';
import { simulate } from '../../simulate/simulate.js';
import { UsageError } from '../errors.js';
import { prepareOutput } from '../output-path.js';

export async function runSimulate(opts: {
  out: string;
  sessions: number;
  seed: number;
  faults?: string;
}): Promise<void> {
  const faults = opts.faults === undefined ? undefined : parseFaultMix(opts.faults);
  const outDir = await prepareOutput(opts.out, 'dir');
  const truth = await simulate({ appDir: demoAppDir(), outDir, sessions: opts.sessions, seed: opts.seed, faults });
  process.stdout.write(`wrote ${truth.sessions.length} session logs and ground-truth.json to ${outDir}\n`);
}

/** `latency=3,errors=2,bursts=2,free=0+5` → FaultOptions; anything else is a usage error. */
function parseFaultMix(mix: string): FaultOptions {
  const out: { latency?: number; errors?: number; bursts?: number; causes?: number; faultFreeSessions?: number[] } = {};
  for (const part of mix.split(',').filter((p) => p.trim() !== '')) {
    const [name, value = ''] = part.split('=').map((s) => s.trim());
    const ints = value.split('+').map((v) => Number(v));
    if (!/^\d+(\+\d+)*$/.test(value) || ints.some((n) => !Number.isSafeInteger(n))) {
      throw new UsageError(`bad --faults part "${part}"`, 'e.g. --faults latency=3,errors=2,bursts=2,free=5');
    }
    if (name === 'free') out.faultFreeSessions = ints;
    else if ((name === 'latency' || name === 'errors' || name === 'bursts' || name === 'causes') && ints.length === 1)
      out[name] = ints[0];
    else throw new UsageError(`bad --faults part "${part}"`, 'kinds: latency, errors, bursts, causes, free');
  }
  return out;
}
