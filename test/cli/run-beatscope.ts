/** Runs the built `beatscope` binary (`npm test` builds dist/ first) without colours; never throws. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'dist/cli/main.js');
/** A small real Cypress capture: 2 beat runs. */
export const SMALL_LOG = resolve(ROOT, 'test/fixtures/corpus/logs/cypress-capture.component-resize.excerpt.log');

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `input`: bytes piped to the binary's standard input; `timeoutMs`: killed after that long (code -1). */
export function runBeatscope(args: readonly string[], input?: Buffer, timeoutMs?: number): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

export const beatscope = (...args: string[]): CliResult => runBeatscope(args);
