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

/** The `--faults` parts that say how many faults of a kind to draw. */
const FAULT_COUNTS = ['latency', 'errors', 'bursts', 'causes', 'reorders'] as const;
type FaultCount = (typeof FAULT_COUNTS)[number];
const isFaultCount = (name: string | undefined): name is FaultCount =>
  (FAULT_COUNTS as readonly (string | undefined)[]).includes(name);

/** `latency=3,errors=2,bursts=2,free=0+5` → FaultOptions; anything else is a usage error. */
function parseFaultMix(mix: string): FaultOptions {
  const out: { [K in FaultCount]?: number } & { faultFreeSessions?: number[] } = {};
  for (const part of mix.split(',').filter((p) => p.trim() !== '')) {
    const [name, value = ''] = part.split('=').map((s) => s.trim());
    const ints = value.split('+').map((v) => Number(v));
    if (!/^\d+(\+\d+)*$/.test(value) || ints.some((n) => !Number.isSafeInteger(n))) {
      throw new UsageError(`bad --faults part "${part}"`, 'e.g. --faults latency=3,errors=2,bursts=2,free=5');
    }
    if (name === 'free') out.faultFreeSessions = ints;
    else if (isFaultCount(name) && ints.length === 1) out[name] = ints[0];
    else throw new UsageError(`bad --faults part "${part}"`, `kinds: ${FAULT_COUNTS.join(', ')}, free`);
  }
  return out;
}
