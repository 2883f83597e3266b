import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import { IMPORTERS, importerById } from '../../importers/registry.js';
import { type FileOutcome, type IngestReport, ingest } from '../../ingest/ingest.js';
import { UsageError } from '../errors.js';
import { color, formatBytes, formatInt } from '../format.js';
import { writeCliJson } from '../json-output.js';
import { openStore } from '../open-store.js';

export interface IngestCommandOptions {
  readonly db: string;
  readonly workers?: number;
  readonly gap: number;
  readonly json?: boolean;
  readonly format?: string;
  /** Name standard input (`-`, `/dev/stdin`) is stored under. */
  readonly sourceName?: string;
}

const STDIN_INPUTS = new Set(['-', '/dev/stdin']);

export async function runIngest(inputs: string[], opts: IngestCommandOptions): Promise<void> {
  if (opts.format !== undefined && !importerById(opts.format)) {
    throw new UsageError(`unknown format "${opts.format}"`, `formats: ${IMPORTERS.map((i) => i.id).join(', ')}`);
  }
  const stdinCount = inputs.filter((i) => STDIN_INPUTS.has(i)).length;
  if (stdinCount > 1) throw new UsageError('standard input can be read once', 'pass - (or /dev/stdin) once');
  // Standard input is copied to a temporary file first: the reader needs to read a file twice (sniffing, then
  // parsing) and the content hash once more; a stream can be read once.
  const stdinDir = stdinCount === 1 ? await mkdtemp(join(tmpdir(), 'beatscope-stdin-')) : undefined;
  const sourceNames = new Map<string, string>();
  if (stdinDir !== undefined) {
    const copy = join(stdinDir, 'stdin.log');
    await pipeline(process.stdin, createWriteStream(copy));
    sourceNames.set(copy, opts.sourceName ?? 'stdin');
    inputs = inputs.map((i) => (STDIN_INPUTS.has(i) ? copy : i));
  }
  const store = await openStore(opts.db, 'write').catch(async (error: unknown) => {
    if (stdinDir !== undefined) await rm(stdinDir, { recursive: true, force: true });
    throw error;
  });
  const started = Date.now();
  const bar =
    process.stderr.isTTY && !opts.json
      ? new SingleBar({
          format: ' {bar} {percentage}% | {value}/{total} MiB | {file}',
          hideCursor: true,
          stream: process.stderr,
        })
      : null;
  const bytesByFile = new Map<string, number>();
  try {
    const report = await ingest(inputs, {
      store,
      workers: opts.workers,
      gapThresholdMs: opts.gap,
      format: opts.format,
      sourceNames,
      onEvent: (e) => {
        if (!bar) return;
        if (e.type === 'plan') bar.start(Math.max(1, Math.ceil(e.bytes / 2 ** 20)), 0, { file: '' });
        if (e.type === 'bytes') {
          bytesByFile.set(e.path, e.bytes);
          const total = [...bytesByFile.values()].reduce((a, b) => a + b, 0);
          bar.update(Math.floor(total / 2 ** 20), { file: e.path.split('/').pop() });
        }
      },
    });
    bar?.update(bar.getTotal());
    bar?.stop();
    if (report.missing.length > 0 && report.outcomes.length === 0 && report.unreadable.length === 0) {
      throw new UsageError(
        `nothing to ingest: ${report.missing.join(', ')} matched no file`,
        'pass log files, directories or quoted globs',
      );
    }
    if (opts.json) {
      writeCliJson('ingest', {
        outcomes: report.outcomes.map(toJson),
        missing: report.missing,
        unreadable: report.unreadable,
      });
    } else {
      printReport(report, Date.now() - started);
    }
    if (report.outcomes.some((o) => o.status === 'failed')) process.exitCode = 1;
    // An input that could not be read is an input error, reported after the rest was ingested.
    if (report.unreadable.length > 0) process.exitCode = 2;
  } finally {
    bar?.stop();
    await store.close();
    if (stdinDir !== undefined) await rm(stdinDir, { recursive: true, force: true });
  }
}

function toJson(o: FileOutcome) {
  return {
    path: o.path,
    status: o.status,
    fileId: o.fileId,
    sameAs: o.sameAs,
    supersededBy: o.supersededBy,
    supersedes: o.supersedes,
    format: o.info?.format,
    lines: o.info?.lines,
    linesUnknown: o.info?.linesUnknown,
    diagnostics: o.diagnostics,
  };
}

function printReport(report: IngestReport, elapsedMs: number): void {
  const { outcomes, missing, unreadable } = report;
  const out: string[] = [];
  let lines = 0;
  let bytes = 0;
  for (const o of outcomes) {
    const tag = {
      ingested: color.green('ingested '),
      unchanged: color.dim('unchanged'),
      duplicate: color.dim('duplicate'),
      superseded: color.dim('superseded'),
      failed: color.red('failed   '),
    }[o.status];
    const detail = o.info
      ? `${o.info.format}, ${formatInt(o.info.lines)} lines, ${formatInt(o.info.linesUnknown)} unknown`
      : o.sameAs
        ? `same content as ${o.sameAs}`
        : o.supersededBy
          ? `an earlier save of ${o.supersededBy}`
          : '';
    out.push(`${tag} ${o.path}${detail ? color.dim(`  (${detail})`) : ''}`);
    for (const s of o.supersedes ?? []) out.push(color.dim(`    supersedes ${s} (an earlier save of the same log)`));
    for (const d of o.diagnostics.slice(0, 5)) {
      const where = d.line > 0 ? `${d.file}:${d.line}` : d.file;
      const sev =
        d.severity === 'error'
          ? color.red('error')
          : d.severity === 'warning'
            ? color.yellow('warning')
            : color.dim('info');
      out.push(`    ${sev} ${where}: ${d.message}`);
    }
    if (o.diagnostics.length > 5) out.push(color.dim(`    … and ${o.diagnostics.length - 5} more diagnostics`));
    lines += o.info?.lines ?? 0;
    bytes += o.info?.sizeBytes ?? 0;
  }
  for (const m of missing) out.push(`${color.yellow('missing  ')} ${m} matched no file`);
  for (const u of unreadable) out.push(`${color.red('unreadable')} ${u.path}: ${u.reason}`);
  const counts = (s: string) => outcomes.filter((o) => o.status === s).length;
  out.push(
    `\n${counts('ingested')} ingested, ${counts('unchanged')} unchanged, ${counts('duplicate')} duplicate, ${counts('superseded') > 0 ? `${counts('superseded')} superseded, ` : ''}${counts('failed')} failed${unreadable.length > 0 ? `, ${unreadable.length} unreadable` : ''} — ${formatInt(lines)} lines, ${formatBytes(bytes)} in ${(elapsedMs / 1000).toFixed(1)} s`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}
