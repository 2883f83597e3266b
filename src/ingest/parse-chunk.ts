/**
 * One chunk of a big file (a byte range starting at a line that opens an entry, ingest/split-file.ts):
 * lines read, envelope parsed and messages classified, as `parseFile` does, but the trace is not rebuilt
 * here: reconstruction needs every earlier line, so the chunk's records go back in order to the thread
 * that rebuilds the whole file. Line numbers are the chunk's own (1 = its first line); the rebuilding
 * thread adds the lines of the chunks before it.
 */
import { type ByteRange, readRange } from '../importers/line-reader.js';
import { importerById } from '../importers/registry.js';
import type { Diagnostic, LogRecord, TelemetryEvent } from '../model/index.js';
import { type PackedValue, packValue, unpackValue } from './chunk-codec.js';
import { checkRecord } from './trace-sink.js';

/** What a line of the chunk became, in line order. */
export type ChunkOp =
  /** A record, its classification, or why one of its numbers cannot be stored (then it is an unknown line). */
  | {
      readonly t: 'record';
      readonly record: LogRecord;
      readonly event: TelemetryEvent | undefined;
      readonly problem?: string;
    }
  | { readonly t: 'unknown'; readonly line: number; readonly text: string }
  | { readonly t: 'boundary'; readonly line: number; readonly label: string };

export interface ChunkRequest extends ByteRange {
  readonly path: string;
  /** Importer id the whole file was detected as. */
  readonly format: string;
}

export interface ParsedChunk {
  readonly ops: ChunkOp[];
  /** Physical lines in the chunk. */
  readonly lines: number;
  /** The reader's and the envelope parser's, numbered from the chunk's first line; `file` is the path read. */
  readonly diagnostics: Diagnostic[];
  readonly complete: boolean;
}

export async function parseChunk(req: ChunkRequest): Promise<ParsedChunk> {
  const importer = importerById(req.format);
  if (importer === undefined) throw new Error(`unknown format ${req.format}`);
  const ops: ChunkOp[] = [];
  const diagnostics: Diagnostic[] = [];
  const parser = importer.parse({
    record: (r) => {
      const { record, event, problem } = checkRecord(r);
      const kept = rebuildFields(record, event === undefined || problem !== undefined);
      ops.push(
        problem === undefined ? { t: 'record', record: kept, event } : { t: 'record', record: kept, event, problem },
      );
    },
    unknown: (line, text) => ops.push({ t: 'unknown', line, text }),
    diagnostic: (d) => diagnostics.push({ file: req.path, ...d }),
    boundary: (line, label) => ops.push({ t: 'boundary', line, label }),
  });
  const read = await readRange(req.path, req, (text, lineNo, bad) =>
    bad ? ops.push({ t: 'unknown', line: lineNo, text }) : parser.line(text, lineNo),
  );
  parser.end();
  return { ops, lines: read.lines, diagnostics: [...read.diagnostics, ...diagnostics], complete: read.complete };
}

/**
 * The fields of a record the rebuild reads (TraceBuilder.add): its place, time and level, and its message
 * only where it is stored as text (an unknown line, a warning or error) or a number problem makes it one.
 * The rest (location, continuation lines) served classification, done here; not sending it halves a
 * chunk's reply.
 */
function rebuildFields(r: LogRecord, needsMessage: boolean): LogRecord {
  const kept: { -readonly [K in keyof LogRecord]: LogRecord[K] } = {
    line: r.line,
    lineCount: r.lineCount,
    message: '',
  };
  if (r.timeMs !== undefined) kept.timeMs = r.timeMs;
  if (r.level !== undefined) kept.level = r.level;
  if (needsMessage || r.level === 'warn' || r.level === 'error') kept.message = r.message;
  return kept;
}

/** A parsed chunk packed for the rebuilding thread (chunk-codec.ts): typed arrays to transfer, strings once. */
export function encodeChunk(chunk: ParsedChunk): PackedValue {
  return packValue(chunk);
}

export function decodeChunk(packed: PackedValue): ParsedChunk {
  return unpackValue(packed) as ParsedChunk;
}
