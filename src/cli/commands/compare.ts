import { open, readFile, writeFile } from 'node:fs/promises';
import { BaselineFormatError, parseBaseline } from '../../analyses/regressions/baseline-file.js';
import type { Baseline } from '../../analyses/regressions/baseline-types.js';
import { BASELINE_FIELDS, buildBaseline } from '../../analyses/regressions/build-baseline.js';
import { compareBaselines, IncomparableError } from '../../analyses/regressions/compare.js';
import {
  type CompareOptions,
  type CompareReport,
  FAIL_ON_KINDS,
  type FailOnKind,
  type MinChangeOverride,
} from '../../analyses/regressions/compare-types.js';
import { loadTraceData } from '../../analyses/trace-data.js';
import { compareFails, compareFormats, renderCompare } from '../../reports/compare/render-compare.js';
import { UsageError } from '../errors.js';
import { openStore } from '../open-store.js';
import { prepareOutput } from '../output-path.js';

export interface CompareCommandOptions {
  readonly db: string;
  readonly format: string;
  readonly failOn?: string;
  readonly out?: string;
  readonly minChange?: string;
  readonly alpha?: string;
  readonly minSamples?: number;
  readonly config?: string;
  readonly normalize?: boolean;
}

/**
 * `beatscope compare <baseline>`: the candidate store against a baseline file or another store. Everything is
 * read and compared before anything is written, so a bad input is exit 2 with nothing written.
 */
export async function runCompare(against: string, opts: CompareCommandOptions): Promise<void> {
  const format = compareFormats.find((f) => f === opts.format);
  if (!format) throw new UsageError(`compare has no ${opts.format} format`, `formats: ${compareFormats.join(', ')}`);
  const failKinds = parseFailOn(opts.failOn);
  const options = await compareOptions(opts);
  const out = opts.out === undefined ? undefined : await prepareOutput(opts.out, 'file');
  const base = await loadBaseline(against);
  const cand = await storeBaseline(opts.db);
  const report = compareOrExplain(base, cand, options);
  const text = renderCompare(report, format);
  if (out !== undefined) await writeFile(out, text);
  else process.stdout.write(text);
  if (compareFails(report, failKinds)) process.exitCode = 1;
}

/** compareBaselines, with inputs that cannot be compared as a usage error (exit 2). */
export function compareOrExplain(base: Baseline, cand: Baseline, options: CompareOptions = {}): CompareReport {
  try {
    return compareBaselines(base, cand, options);
  } catch (error) {
    if (error instanceof IncomparableError)
      throw new UsageError(error.message, 'compare two stores or baselines of the same app');
    throw error;
  }
}

function parseFailOn(value: string | undefined): FailOnKind[] {
  if (value === undefined) return [];
  const kinds = value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const bad = kinds.filter((k) => !(FAIL_ON_KINDS as readonly string[]).includes(k));
  if (bad.length > 0)
    throw new UsageError(`unknown --fail-on kind ${bad.join(', ')}`, `kinds: ${FAIL_ON_KINDS.join(', ')}`);
  return kinds as FailOnKind[];
}

async function compareOptions(opts: CompareCommandOptions): Promise<CompareOptions> {
  const number = (name: string, value: string | undefined, max: number) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!(n >= 0 && n <= max)) throw new UsageError(`${name} must be a number from 0 to ${max}, got "${value}"`);
    return n;
  };
  let fromConfig: { minChange?: number; overrides?: MinChangeOverride[] } = {};
  if (opts.config !== undefined) {
    try {
      fromConfig = JSON.parse(await readFile(opts.config, 'utf8')) as typeof fromConfig;
    } catch (error) {
      throw new UsageError(
        `cannot read the compare config ${opts.config}: ${error instanceof Error ? error.message : error}`,
      );
    }
    const ok =
      (fromConfig.minChange === undefined || typeof fromConfig.minChange === 'number') &&
      (fromConfig.overrides === undefined ||
        (Array.isArray(fromConfig.overrides) && fromConfig.overrides.every((o) => typeof o?.minChange === 'number')));
    if (!ok)
      throw new UsageError(
        `${opts.config}: expected {"minChange"?: number, "overrides"?: [{plugin?, handler?, sequence?, minChange}]}`,
      );
  }
  const pct = number('--min-change', opts.minChange, 1000);
  return {
    minChange: pct === undefined ? fromConfig.minChange : pct / 100,
    overrides: fromConfig.overrides,
    alpha: number('--alpha', opts.alpha, 1),
    minSamples: opts.minSamples,
    normalize: opts.normalize === true,
  };
}

/** A baseline file (JSON, sniffed by its first byte) or another store (`compare`, `analyze --baseline`). */
export async function loadBaseline(path: string): Promise<Baseline> {
  let first: string;
  try {
    const handle = await open(path, 'r');
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    await handle.close();
    first = buffer.subarray(0, bytesRead).toString('utf8').trimStart();
  } catch {
    throw new UsageError(`cannot read the baseline ${path}`, 'pass a file written by `beatscope baseline`, or a store');
  }
  if (first.startsWith('{') || path.endsWith('.json')) {
    try {
      return parseBaseline(await readFile(path, 'utf8'), path);
    } catch (error) {
      if (error instanceof BaselineFormatError)
        throw new UsageError(error.message, 'write a new one with `beatscope baseline --out <file>`');
      throw error;
    }
  }
  return storeBaseline(path);
}

async function storeBaseline(db: string): Promise<Baseline> {
  const store = await openStore(db, 'read-only');
  try {
    return buildBaseline(await loadTraceData(store, {}, BASELINE_FIELDS));
  } finally {
    await store.close();
  }
}
