import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ExitCode, failureFor, UsageError, wantsDebug } from './errors.js';
import { buildProgram } from './main.js';

/** What commander throws for a command line, with its printing silenced. */
async function commanderErrorFor(args: string[]): Promise<unknown> {
  const program = buildProgram();
  const silence = (cmd: typeof program) => {
    cmd.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    for (const sub of cmd.commands) silence(sub);
  };
  silence(program);
  try {
    await program.parseAsync(['node', 'beatscope', ...args]);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('failureFor', () => {
  it('maps commander usage errors to 2 and help/version to 0, printing nothing more', async () => {
    const cases: [string[], string, number][] = [
      [['nope'], 'commander.unknownCommand', 2],
      [['summary', '--nope'], 'commander.unknownOption', 2],
      [['sql'], 'commander.missingArgument', 2],
      [[], 'commander.help', 2],
      [['--help'], 'commander.helpDisplayed', 0],
      [['--version'], 'commander.version', 0],
    ];
    for (const [args, code, exit] of cases) {
      const error = await commanderErrorFor(args);
      expect(error, args.join(' ')).toBeInstanceOf(CommanderError);
      expect((error as CommanderError).code).toBe(code);
      expect(failureFor(error, false)).toEqual({ exitCode: exit, stderr: '' });
    }
  });

  it('prints a usage error as one line and its hint, exit 2', () => {
    expect(failureFor(new UsageError('no telemetry store at x.duckdb', 'run ingest first'), true)).toEqual({
      exitCode: ExitCode.usage,
      stderr: 'beatscope: no telemetry store at x.duckdb\nhint: run ingest first\n',
    });
  });

  it('reports a bug as one line with exit 70, and the stack only with --debug', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'p95')\nsecond line");
    const plain = failureFor(bug, false);
    expect(plain.exitCode).toBe(70);
    expect(plain.stderr).toBe(
      "beatscope: internal error: Cannot read properties of undefined (reading 'p95') (run with --debug for the stack)\n",
    );
    const debug = failureFor(bug, true);
    expect(debug.exitCode).toBe(70);
    expect(debug.stderr).toContain('TypeError: Cannot read properties');
    expect(debug.stderr).toMatch(/\n\s+at .*errors\.test\.ts/);
    expect(failureFor('a thrown string', false).stderr).toBe(
      'beatscope: internal error: a thrown string (run with --debug for the stack)\n',
    );
  });
});

describe('wantsDebug', () => {
  it('sees --debug anywhere before --', () => {
    expect(wantsDebug(['report', 'heatmap', '--debug'])).toBe(true);
    expect(wantsDebug(['--debug', 'summary'])).toBe(true);
    expect(wantsDebug(['sql', '--', '--debug'])).toBe(false);
    expect(wantsDebug(['summary'])).toBe(false);
  });
});
