/**
 * The exit-code contract of the built `beatscope` binary (README "Exit codes"): 0 ok, 1 findings,
 * 2 usage or input error, each error told in one line. `npm test` builds dist/ first.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli/main.js');

function beatscope(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('beatscope exit codes: usage errors', () => {
  it('exits 2 on an unknown command, with one line and a pointer to --help', () => {
    const r = beatscope('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toBe("beatscope: unknown command 'frobnicate'\n(run with --help for usage)\n");
    expect(r.out).toBe('');
  });

  it('exits 2 on an unknown option', () => {
    const r = beatscope('summary', '--colour');
    expect(r.code).toBe(2);
    expect(r.err).toBe("beatscope: unknown option '--colour'\n(run with --help for usage)\n");
  });

  it('exits 2 on a missing argument', () => {
    const r = beatscope('report');
    expect(r.code).toBe(2);
    expect(r.err).toBe("beatscope: missing required argument 'name'\n(run with --help for usage)\n");
  });

  it('exits 2 on a bad option value', () => {
    const r = beatscope('report', 'heatmap', '--top', 'ten');
    expect(r.code).toBe(2);
    expect(r.err).toBe('beatscope: expected a whole number, got "ten"\n');
  });

  it('exits 2 with the usage on stderr when no command is given', () => {
    const r = beatscope();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: beatscope \[options\] \[command\]\n/);
  });

  it('exits 0 on --help and --version, and the help documents the exit codes', () => {
    const help = beatscope('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Exit codes: 0 ok, 1 findings');
    expect(help.out).toContain('70 internal error (add --debug for the stack)');
    const version = beatscope('--version');
    expect(version).toEqual({ code: 0, out: '0.1.0\n', err: '' });
  });
});
