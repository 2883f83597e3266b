import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './run-beatscope.js';

export interface StartedServe {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>/`, as the binary printed it (trailing slash included). */
  readonly base: string;
  /** The exit code, or -1 when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** Everything it printed on stdout so far. */
  readonly output: () => string;
}

/** Starts the built `beatscope serve` with `args`; resolves once it printed its URL, fails if it exits or takes 30 s. */
export function startServe(args: readonly string[]): Promise<StartedServe> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const exited = new Promise<number | null>((ok) => child.on('exit', (code, signal) => ok(signal ? -1 : code)));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /^beatscope serve: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        ok({ child, base: url, exited, output: () => out });
      }
    });
    void exited.then((code) => fail(new Error(`serve exited ${code}: ${err}`)));
  });
}
