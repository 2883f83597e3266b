/**
 * Files written while the next one renders. Awaiting each write before rendering the next left the CPU idle for
 * every write of a report bundle (tens of MB of JSON at a million beat runs); here each write starts at once and
 * `finish()` waits for all of them. A failed write still fails `finish()` (the first failure), never as an
 * unhandled rejection in between.
 */
import { writeFile } from 'node:fs/promises';

export class OverlappedWrites {
  private readonly pending: Promise<void>[] = [];

  write(path: string, text: string): void {
    const done = writeFile(path, text);
    // Handled here so a failure before `finish()` is not reported as unhandled; `finish()` rethrows it.
    done.catch(() => {});
    this.pending.push(done);
  }

  async finish(): Promise<void> {
    await Promise.all(this.pending);
  }
}
