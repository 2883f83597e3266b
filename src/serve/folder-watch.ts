/**
 * Watches folders (or globs) for `beatscope serve` by polling: every `intervalMs` the inputs are walked with the
 * same rules as `beatscope ingest` (discover.ts: `.log .txt .out .jsonl .ndjson .tsv .gz`), and a file that is
 * new or whose size or modification time changed is handed to `ingest` (serve then reads only what was appended,
 * growing-files.ts). A plain file whose last byte is not a newline is
 * being written: it waits for a later poll, so a partial last line is never read as a line, until it has not
 * changed for `settleMs` (an app that exited mid-line), when it is ingested as it is. A truncated or
 * rotated file (smaller, or new) is simply a changed file: it is read from its start and replaces what its path held.
 */
import { open, stat } from 'node:fs/promises';
import { discoverFiles } from '../ingest/discover.js';

export interface FolderWatchOptions {
  readonly inputs: readonly string[];
  readonly intervalMs: number;
  /** How long a file ending mid-line must stay unchanged before it is ingested anyway; default 5 s. */
  readonly settleMs?: number;
  /** Called with the files ready to (re)ingest; the next poll waits for it to settle. */
  readonly ingest: (paths: readonly string[]) => Promise<unknown>;
  /** A poll that failed (a folder vanished …); polling goes on. */
  readonly onError?: (error: unknown) => void;
}

export class FolderWatch {
  private readonly seen = new Map<string, string>();
  /** Files ending mid-line: their size/mtime print and since when (ms) it has not changed. */
  private readonly partial = new Map<string, { print: string; sinceMs: number }>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly options: FolderWatchOptions) {}

  /** Polls once now, then every `intervalMs` after each poll ends. */
  start(): void {
    const tick = () => {
      this.current = this.poll()
        .then(() => undefined)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    tick();
  }

  /** Stops polling; resolves when a poll under way has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }

  /** One pass: the files that changed since the last pass and end with a complete line. */
  async poll(): Promise<readonly string[]> {
    const { files } = await discoverFiles(this.options.inputs);
    const ready: string[] = [];
    const prints = new Map<string, string>();
    for (const path of files) {
      const s = await stat(path).catch(() => undefined);
      if (!s?.isFile()) continue;
      const print = `${s.size}\0${s.mtimeMs}`;
      if (s.size === 0 || this.seen.get(path) === print) continue;
      if (!path.toLowerCase().endsWith('.gz') && !(await endsWithNewline(path, s.size))) {
        const was = this.partial.get(path);
        if (was?.print !== print) this.partial.set(path, { print, sinceMs: Date.now() });
        if (!was || was.print !== print || Date.now() - was.sinceMs < (this.options.settleMs ?? 5000)) continue;
      }
      this.partial.delete(path);
      ready.push(path);
      prints.set(path, print);
    }
    if (ready.length > 0) await this.options.ingest(ready);
    for (const [path, print] of prints) this.seen.set(path, print);
    return ready;
  }
}

/** The last byte is `\n` (UTF-16 files end with `\n\0` or `\0\n`: both count). */
export async function endsWithNewline(path: string, size: number): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buffer, 0, Math.min(2, size), Math.max(0, size - 2));
    const tail = buffer.subarray(0, bytesRead);
    return tail.at(-1) === 0x0a || (tail.length === 2 && tail[0] === 0x0a && tail[1] === 0x00);
  } finally {
    await handle.close();
  }
}
