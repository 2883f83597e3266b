// Runs one message-in, report-out child process: the compiled `.js` entry, or the `.ts` one through tsx when
// running from sources. The child answers `{ ok: true, report }` over IPC and exits 0; anything else rejects
// with its exit code and stderr. The conductor is a process-wide singleton, so every play gets its own process.

import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @param callerUrl `import.meta.url` of a module beside the entry; it decides `.ts` (sources) or `.js` (dist).
 * @param entryBase the entry's file name without extension, in the caller's folder.
 * @param label names the child in errors (a log file, a run id).
 */
export function runChildProcess<R>(callerUrl: string, entryBase: string, message: unknown, label: string): Promise<R> {
  const here = fileURLToPath(callerUrl);
  const fromSources = here.endsWith('.ts');
  const entry = join(dirname(here), `${entryBase}.${fromSources ? 'ts' : 'js'}`);
  return new Promise((resolvePromise, reject) => {
    const child = fork(entry, [], {
      execArgv: fromSources ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    let report: R | undefined;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.resume();
    child.on('message', (reply: { ok: boolean; report: R }) => {
      report = reply.report;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && report !== undefined) resolvePromise(report);
      else reject(new Error(`${label} exited with ${code}: ${stderr.trim()}`));
    });
    child.send(message as never);
  });
}

/**
 * The child's side of `runChildProcess`: runs `task` on the one message the parent sends, answers
 * `{ ok: true, report }` and exits 0 once the answer is flushed, or prints the error's stack and exits 1.
 */
export function answerParent<P, R>(task: (plan: P) => Promise<R>): void {
  process.once('message', (plan: P) => {
    task(plan).then(
      (report) => process.send?.({ ok: true, report }, undefined, {}, () => process.exit(0)),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
