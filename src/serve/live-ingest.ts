/**
 * Ingest for `beatscope serve`: lines posted over HTTP and files growing in watched folders go through the same
 * importers and the same reconstruction as `beatscope ingest`, one round at a time.
 *
 * Posted lines are appended (and fsync'ed) to a spool file per source (`<spool>/<source>.log`). Spool files and
 * watched files are read as they grow (growing-files.ts): each round reads only the lines appended since the last,
 * with the parser and trace builder kept between rounds, so a run whose lines came in two posts is still one run,
 * and stores what one ingest of the whole file would. Rounds coalesce (posts that arrive while a round runs share
 * the next one). A post is acknowledged once the round that read its lines has committed them.
 *
 * After each round the runs it made or changed are compared with those already announced, keyed by file path and
 * start line (a run's id changes when its file is read afresh, its place does not): new runs and runs whose status
 * or end changed are announced.
 */
import { open, readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { lastLineEnd } from '../ingest/growing-file.js';
import { type FileOutcome, ingest } from '../ingest/ingest.js';
import type { RunStatus, SequenceRun, StoreSummary } from '../model/index.js';
import { sequenceLabel } from '../model/unknown-names.js';
import type { EntityQuery, TelemetryStore } from '../store/telemetry-store.js';
import { GrowingFiles } from './growing-files.js';

/** What the live page and the SSE stream show of a run. */
export interface LiveRun {
  /** `path:line` of the run's first line: stable while its file grows. */
  readonly key: string;
  /** The run's last line so far (`key` to it: the run's lines, `GET /api/lines`). */
  readonly lastLine: number;
  readonly sequence: string;
  readonly plugin: string | null;
  readonly status: RunStatus;
  readonly startMs: number | null;
  readonly durationMs: number | null;
  readonly beats: number;
  readonly source: string;
}

export interface RoundResult {
  readonly outcomes: readonly FileOutcome[];
  /** Runs new or changed since the previous round. */
  readonly runs: readonly LiveRun[];
  /**
   * The runs among `runs` that this round ended (status no longer `incomplete`), with their store ids now: each
   * run appears in one round only, unless its status or end changes again.
   */
  readonly endedRuns: readonly { readonly key: string; readonly id: string }[];
  readonly summary: StoreSummary;
}

/** A source name as it may appear in a file name: letters, digits, `.`, `_`, `-`; 1 to 64 characters. */
export const SOURCE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export class LiveIngest {
  /** Fingerprints of the runs announced that may still change (a final run of a growing file is forgotten). */
  private readonly announced = new Map<string, string>();
  private readonly pendingFiles = new Set<string>();
  /** Per source, the append under way (posts of one source are appended one at a time). */
  private readonly appending = new Map<string, Promise<unknown>>();
  private waiting: {
    promise: Promise<RoundResult>;
    resolve: (r: RoundResult) => void;
    reject: (e: unknown) => void;
  } | null = null;
  private running: Promise<unknown> = Promise.resolve();
  /** Rounds begun and rounds ended: a read that sees the same, equal pair before and after overlapped no round. */
  private roundsBegun = 0;
  private roundsEnded = 0;
  private readonly listeners = new Set<(result: RoundResult) => void>();
  private readonly growing: GrowingFiles;

  constructor(
    private readonly store: TelemetryStore,
    private readonly spoolDir: string,
  ) {
    this.growing = new GrowingFiles(store);
  }

  /** Marks the store's current runs as announced, so only what arrives after start is news. */
  async init(): Promise<void> {
    for (const { run } of await this.storedRuns()) this.announced.set(run.key, fingerprint(run));
  }

  /**
   * Ingests the spool files already there: lines a previous server fsync'ed but had not stored when it was
   * killed. Files already stored are not even read (ingest is incremental).
   */
  async recoverSpool(): Promise<RoundResult | null> {
    const names = (await readdir(this.spoolDir)).filter((n) => n.endsWith('.log') && SOURCE_NAME.test(n.slice(0, -4)));
    const paths = names.map((n) => join(this.spoolDir, n));
    for (const path of paths) await cutTornTail(path);
    return paths.length === 0 ? null : this.ingestFiles(paths);
  }

  /** Called after every round, with what it stored and the runs it made or changed. */
  onRound(listener: (result: RoundResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Appends complete lines of `source` to its spool file and resolves once a round has stored them.
   *
   * `offset` (optional) is the byte offset in the source's stream where `text` starts, i.e. the bytes the poster
   * already had acknowledged (or `offset` from the previous answer). It makes a re-sent batch idempotent: bytes
   * already in the spool at that offset are not appended again (a batch that reached the disk before the server
   * was killed, or whose answer was lost), only what is missing is. A gap (offset past the spool's end) or
   * different bytes at that offset throw an {@link OffsetError} naming the spool's size, from which the poster can
   * resume. Without `offset` the lines are appended as they are.
   */
  async postLines(
    source: string,
    text: string | Buffer,
    offset?: number,
  ): Promise<{ lines: number; path: string; offset: number; result: RoundResult }> {
    if (!SOURCE_NAME.test(source)) throw new Error(`bad source name ${JSON.stringify(source)}`);
    const path = join(this.spoolDir, `${source}.log`);
    // Bytes as posted (offsets count them), a missing last newline added.
    const raw = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const body = raw.length === 0 || raw.at(-1) === 0x0a ? raw : Buffer.concat([raw, Buffer.from('\n')]);
    let lines = 0;
    for (const byte of body) if (byte === 0x0a) lines++;
    // One append per source at a time: the size check and the write must not interleave with another post's.
    const previous = this.appending.get(source) ?? Promise.resolve();
    const appended = previous.then(() => appendSpool(path, body, offset));
    const tail = appended.catch(() => undefined);
    this.appending.set(source, tail);
    void tail.then(() => {
      if (this.appending.get(source) === tail) this.appending.delete(source);
    });
    const end = await appended;
    return { lines, path, offset: end, result: await this.ingestFiles([path]) };
  }

  /** Ingests `paths` in the next round; resolves with that round's result. */
  ingestFiles(paths: readonly string[]): Promise<RoundResult> {
    for (const p of paths) this.pendingFiles.add(p);
    if (this.waiting) return this.waiting.promise;
    let resolve!: (r: RoundResult) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<RoundResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.waiting = { promise, resolve, reject };
    this.running = this.running.then(() => this.round());
    return promise;
  }

  /** Runs the waiting round: takes the pending files, so posts arriving meanwhile wait for the next one. */
  private async round(): Promise<void> {
    const waiting = this.waiting!;
    this.waiting = null;
    this.roundsBegun++;
    const files = [...this.pendingFiles];
    this.pendingFiles.clear();
    try {
      const grown = await this.growing.read(files);
      const whole =
        grown.whole.length === 0 ? [] : (await ingest(grown.whole, { store: this.store, workers: 0 })).outcomes;
      const outcomes = [...grown.outcomes, ...whole];
      const runs: LiveRun[] = [];
      const endedRuns: { key: string; id: string }[] = [];
      // Runs change only in what this round stored: the grown files' rounds say which, files read whole are read back.
      const stored = whole.flatMap((o) => (o.status === 'ingested' && o.fileId !== null ? [o.fileId] : []));
      const changed: { run: LiveRun; id: string; final?: boolean }[] = [
        ...grown.runs.map(({ path, run, final }) => ({ run: liveRun(run, path), id: run.id, final })),
        ...(stored.length === 0 ? [] : await this.storedRuns({ fileIds: stored })),
      ];
      for (const { run, id, final } of changed) {
        const print = fingerprint(run);
        if (this.announced.get(run.key) !== print) {
          runs.push(run);
          if (run.status !== 'incomplete') endedRuns.push({ key: run.key, id });
        }
        // A final run of a growing file comes no more: forgetting it keeps the map to the runs that can change.
        if (final === true) this.announced.delete(run.key);
        else this.announced.set(run.key, print);
      }
      const result: RoundResult = { outcomes, runs, endedRuns, summary: await this.store.summary() };
      for (const listener of this.listeners) listener(result);
      waiting.resolve(result);
    } catch (error) {
      waiting.reject(error);
    } finally {
      this.roundsEnded++;
    }
  }

  /**
   * `read`'s result, from a store no round wrote to while it read: run as it is when no round overlapped it,
   * else run again between rounds (the next round waits for it). For reads of many queries (the reports) that
   * must not mix what two rounds stored.
   */
  async readBetweenRounds<T>(read: () => Promise<T>): Promise<T> {
    const begun = this.roundsBegun;
    const quiet = begun === this.roundsEnded;
    const result = await read();
    if (quiet && this.roundsBegun === begun) return result;
    const between = this.running.then(read);
    this.running = between.catch(() => undefined);
    return between;
  }

  /** The last `limit` stored runs as the live page shows them, in (file, line) order. */
  async currentRuns(limit: number): Promise<LiveRun[]> {
    // The last `limit` runs only: from the place of the first of them, not the whole store.
    const total = (await this.store.summary()).sequenceRuns;
    const from = total > limit ? await this.store.placeOf('sequence-run', total - limit) : undefined;
    return (await this.storedRuns(from === undefined ? {} : { from })).slice(-limit).map(({ run }) => run);
  }

  /** The stored runs (those `query` selects) as the live page shows them, with their store ids. */
  private async storedRuns(query: EntityQuery = {}): Promise<{ run: LiveRun; id: string }[]> {
    const [files, runs] = await Promise.all([this.store.files(), this.store.entities('sequence-run', query)]);
    const pathOf = new Map(files.map((f) => [f.fileId, f.path]));
    return runs.map((r) => ({ run: liveRun(r, pathOf.get(r.span.fileId) ?? r.span.fileId), id: r.id }));
  }

  /** Resolves when every round started so far has ended. */
  async idle(): Promise<void> {
    while (this.waiting) await this.waiting.promise.catch(() => undefined);
    await this.running;
  }
}

/** A stored run as the live page shows it; `source` is its file's path. */
function liveRun(r: SequenceRun, source: string): LiveRun {
  return {
    key: `${source}:${r.span.startLine}`,
    lastLine: r.span.endLine,
    sequence: sequenceLabel(r.sequenceName),
    plugin: r.pluginId,
    status: r.status,
    startMs: r.startMs,
    durationMs: r.durationMs,
    beats: r.beatCount,
    source,
  };
}

/** Whether a round changed what the store holds (the SSE `runs` event and the report cache follow these). */
export function roundChanged(result: RoundResult): boolean {
  return result.runs.length > 0 || result.outcomes.some((o) => o.status !== 'unchanged');
}

const fingerprint = (r: LiveRun) => `${r.status}\0${r.durationMs}\0${r.beats}`;

/** A post's `offset` does not fit the spool: `size` is where the poster should resume. */
export class OffsetError extends Error {
  constructor(
    message: string,
    readonly size: number,
  ) {
    super(message);
  }
}

/**
 * Appends `body` to the spool file at `offset` (or at its end when undefined), fsync'ed; returns the file's size
 * after it, bytes. Bytes already there at `offset` must equal the body's: only the missing rest is written.
 */
async function appendSpool(path: string, body: Buffer, offset: number | undefined): Promise<number> {
  const size = (await stat(path).catch(() => undefined))?.size ?? 0;
  let rest = body;
  if (offset !== undefined) {
    if (offset > size) throw new OffsetError(`offset ${offset} is past the ${size} bytes stored for this source`, size);
    const overlap = Math.min(size - offset, body.length);
    if (overlap > 0) {
      const handle = await open(path, 'r');
      try {
        const there = Buffer.alloc(overlap);
        await handle.read(there, 0, overlap, offset);
        if (!there.equals(body.subarray(0, overlap)))
          throw new OffsetError(`other bytes are stored at offset ${offset} for this source`, size);
      } finally {
        await handle.close();
      }
    }
    rest = body.subarray(overlap);
  }
  if (rest.length > 0) {
    // fsync'ed before the round that reads them starts: an acknowledged line is on disk.
    const handle = await open(path, 'a');
    try {
      await handle.write(rest);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
  return Math.max(size, (offset ?? size) + body.length);
}

/**
 * A spool file not ending with a newline holds a write cut by a crash (every post ends with one): that batch was
 * never acknowledged, so its cut lines are dropped rather than read as lines; the poster sends it again.
 */
async function cutTornTail(path: string): Promise<void> {
  const { size } = await stat(path);
  const end = await lastLineEnd(path, 0, size);
  if (end < size) await truncate(path, end);
}
