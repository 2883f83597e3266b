/**
 * The files `beatscope serve` reads as they grow (spool files of posted lines, watched logs): one GrowingFile
 * each (ingest/growing-file.ts), written to the store round by round. A file's first round replaces what its path
 * held; each later round extends it in one commit: the round's final entities added, the previous round's
 * provisional entities replaced by this round's, the file record replaced. A round so costs what was appended,
 * not the file's size.
 *
 * Read whole by `ingest` instead, as `beatscope ingest` reads them: compressed and UTF-16 files, and a file whose
 * last line has no newline when its round comes (the folder watcher hands such a file over only once it stopped
 * changing: an app that exited mid-line). Its next growth starts a new GrowingFile.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { GrowingFile, type GrowingRound } from '../ingest/growing-file.js';
import type { FileOutcome } from '../ingest/ingest.js';
import type { SequenceRun, TraceEntity } from '../model/index.js';
import { entityRef } from '../store/extend-refs.js';
import type { EntityRef, TelemetryStore } from '../store/telemetry-store.js';
import { endsWithNewline } from './folder-watch.js';

interface Growing {
  readonly file: GrowingFile;
  /** What the path held before this file's first round (replaced by it). */
  readonly replaces: string | null;
  /** Whether a round was stored: later rounds extend the file. */
  written: boolean;
  /** The last stored round's provisional entities, replaced by the next round's. */
  provisional: readonly EntityRef[];
}

export interface GrowingRoundResult {
  readonly outcomes: readonly FileOutcome[];
  /**
   * Sequence runs the stored rounds made or changed, by file path: `final` ones are stored for good (no later round
   * of this file gives them again), the others may change with the next lines.
   */
  readonly runs: readonly { readonly path: string; readonly run: SequenceRun; readonly final: boolean }[];
  /** Paths to ingest whole (see the header). */
  readonly whole: readonly string[];
}

export class GrowingFiles {
  private readonly files = new Map<string, Growing>();

  constructor(private readonly store: TelemetryStore) {}

  /** Reads and stores what `paths` got since their last round. */
  async read(paths: readonly string[]): Promise<GrowingRoundResult> {
    const outcomes: FileOutcome[] = [];
    const runs: { path: string; run: SequenceRun; final: boolean }[] = [];
    const whole: string[] = [];
    for (const path of paths) {
      try {
        const round = await this.readOne(path);
        if (round === 'whole') {
          this.files.delete(path);
          whole.push(path);
        } else if (round === 'unchanged') {
          outcomes.push({
            path,
            status: 'unchanged',
            fileId: this.files.get(path)?.file.fileId ?? null,
            diagnostics: [],
          });
        } else {
          outcomes.push(round.outcome);
          for (const e of round.final) if (e.kind === 'sequence-run') runs.push({ path, run: e, final: true });
          for (const e of round.provisional) if (e.kind === 'sequence-run') runs.push({ path, run: e, final: false });
        }
      } catch (error) {
        // What the store holds may no longer follow what the builder read: the next round starts the file afresh.
        this.files.delete(path);
        const message = error instanceof Error ? error.message : String(error);
        outcomes.push({
          path,
          status: 'failed',
          fileId: null,
          diagnostics: [{ file: path, line: 0, severity: 'error', message }],
        });
      }
    }
    return { outcomes, runs, whole };
  }

  private async readOne(
    path: string,
  ): Promise<'whole' | 'unchanged' | (GrowingRound & { readonly outcome: FileOutcome })> {
    const info = await stat(path);
    if (info.size > 0 && !(await endsWithNewline(path, info.size))) return 'whole';
    let growing = this.files.get(path) ?? (await this.start(path, info));
    if (growing === undefined) return 'unchanged';
    let round = await growing.file.next();
    if (round === 'restart') {
      growing = (await this.start(path, info, true))!;
      round = await growing.file.next();
    }
    if (round === 'unsupported' || round === 'restart') return 'whole';
    if (round === undefined) return 'unchanged';
    await this.write(growing, round);
    const outcome: FileOutcome = {
      path,
      status: 'ingested',
      fileId: growing.file.fileId,
      info: round.info,
      diagnostics: round.info.diagnostics,
    };
    return { ...round, outcome };
  }

  /**
   * A GrowingFile for `path` from its first byte. Undefined when the store holds the path as it is (a server
   * restarted over its spool): nothing to read until it grows, when it is read from the start again.
   */
  private async start(path: string, info: { ino: number; size: number; mtimeMs: number }, force = false) {
    const known = await this.store.findFile({ path });
    if (!force && known && known.sizeBytes === info.size && known.mtimeMs === info.mtimeMs) return undefined;
    // A file id of its own, named without reading the file (its first round does): the path, the file as first seen
    // and the content it replaces, so no copy stored under another path and no earlier content of this one shares it.
    const seen = `growing\0${path}\0${info.ino}\0${info.size}\0${info.mtimeMs}\0${known?.fileId ?? ''}`;
    const fileId = createHash('sha256').update(seen).digest('hex').slice(0, 16);
    const growing: Growing = {
      file: new GrowingFile(path, path, fileId),
      replaces: known && known.fileId !== fileId ? known.fileId : null,
      written: false,
      provisional: [],
    };
    this.files.set(path, growing);
    return growing;
  }

  /** One commit: a first round replaces the path's earlier content, a later one extends the file. */
  private async write(growing: Growing, round: GrowingRound): Promise<void> {
    const { fileId } = growing.file;
    const writer = await this.store.beginFile(
      fileId,
      growing.written
        ? { extend: { drop: growing.provisional }, print: round.print }
        : { replaces: growing.replaces, print: round.print },
    );
    try {
      const entities: TraceEntity[] = [...round.final, ...round.provisional];
      if (entities.length > 0) await writer.append(entities);
      await writer.commit(round.info);
    } catch (error) {
      await writer.abort().catch(() => undefined);
      throw error;
    }
    growing.written = true;
    growing.provisional = round.provisional.map(entityRef);
  }
}
