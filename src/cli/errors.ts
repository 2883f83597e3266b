import { CommanderError } from 'commander';

/** The exit codes beatscope documents (README "Exit codes"); scripts and CI rely on them. */
export const ExitCode = {
  ok: 0,
  /** The command ran and found something: failed files, flow violations matching `--fail-on`. */
  findings: 1,
  /** The command line or an input (file, folder, store, query) was wrong; nothing to report. */
  usage: 2,
  /** A bug in beatscope (sysexits.h EX_SOFTWARE). */
  internal: 70,
} as const;

/** A usage or input error: printed as one line plus a hint, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Failure {
  readonly exitCode: number;
  /** What goes to stderr, newline-terminated; empty when the error was already printed. */
  readonly stderr: string;
}

/**
 * How an error that escaped a command ends the process. Commander prints its own messages (unknown
 * option, missing argument, help) before it throws, so those add nothing; `--help` and `--version`
 * exit 0, every other commander error is a usage error. Anything else is a bug: one line, or the
 * stack with `--debug`.
 */
export function failureFor(error: unknown, debug: boolean): Failure {
  if (error instanceof CommanderError) {
    return { exitCode: error.exitCode === 0 ? ExitCode.ok : ExitCode.usage, stderr: '' };
  }
  if (error instanceof UsageError) {
    return {
      exitCode: ExitCode.usage,
      stderr: `beatscope: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`,
    };
  }
  if (debug) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { exitCode: ExitCode.internal, stderr: `beatscope: internal error: ${text}\n` };
  }
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return {
    exitCode: ExitCode.internal,
    stderr: `beatscope: internal error: ${message} (run with --debug for the stack)\n`,
  };
}

/** `--debug` anywhere before a `--` separator (it must work even when parsing itself fails). */
export function wantsDebug(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--debug');
}
