/**
 * One file, start to end, in the current thread: read lines, detect the envelope format, parse records,
 * classify messages, rebuild the trace. Entities leave in batches through `onBatch` as soon as they are
 * final, so memory stays bounded whatever the file size.
 */
import { type BytePathEnd, readChromeBytes } from '../importers/chrome-bytes.js';
import { ChromeParser } from '../importers/chrome-console.js';
import { noFinalNewlineMessage, openLines, type ReadResult } from '../importers/line-reader.js';
import { detectFormat, importerById } from '../importers/registry.js';
import { TraceBuilder } from '../model/builder/trace-builder.js';
import type { Diagnostic, FileInfo, TraceEntity } from '../model/index.js';
import { TraceSink } from './trace-sink.js';

export interface ParseFileOptions {
  /** Importer id to use instead of detecting the format from the content (`beatscope ingest --format`). */
  readonly format?: string;
  readonly gapThresholdMs?: number;
  /** Bytes read so far (on disk), for progress bars. */
  readonly onProgress?: (bytesRead: number) => void;
  /** False reads every line through the string reader (the byte path's oracle in tests). Default true. */
  readonly bytePath?: boolean;
}

/** What a parse made of a file; `complete` is false when reading stopped early (unreadable, binary, gone). */
export interface ParsedFile {
  readonly info: FileInfo;
  readonly complete: boolean;
}

export async function parseFile(
  path: string,
  fileId: string,
  onBatch: (batch: TraceEntity[]) => void,
  options: ParseFileOptions = {},
): Promise<ParsedFile> {
  const source = await openLines(path, { onProgress: options.onProgress });
  const importer =
    (options.format === undefined ? undefined : importerById(options.format)) ?? detectFormat(source.sample);
  const builder = new TraceBuilder({ fileId, gapThresholdMs: options.gapThresholdMs }, onBatch);
  const diagnostics: Diagnostic[] = [];
  const parser = importer.parse(new TraceSink(path, builder, diagnostics));
  const onLine = (text: string, lineNo: number, bad?: boolean) =>
    bad ? builder.unknown(lineNo, text) : parser.line(text, lineNo);
  let result: ReadResult;
  if (parser instanceof ChromeParser && !source.gzip && source.encoding === 'utf-8' && options.bytePath !== false) {
    // The byte path reads the clean lines; from the first other line on, the string reader takes over.
    const fast = await readChromeBytes(path, parser, options.onProgress);
    result = fast.done ? bytePathResult(path, source.sizeBytes, fast) : await source.forEachLineFrom(fast, onLine);
  } else result = await source.forEachLine(onLine);
  parser.end();
  const stats = builder.finish();
  diagnostics.push(...result.diagnostics);
  const info: FileInfo = {
    fileId,
    path,
    sizeBytes: source.sizeBytes,
    mtimeMs: source.mtimeMs,
    format: importer.id,
    encoding: source.encoding,
    gzip: source.gzip,
    lines: result.lines,
    linesRecognized: result.lines - stats.linesUnknown,
    linesUnknown: stats.linesUnknown,
    diagnostics,
  };
  return { info, complete: result.complete };
}

/** What the string reader would have said of a file the byte path read whole: clean lines have no diagnostic. */
function bytePathResult(path: string, sizeBytes: number, end: BytePathEnd): ReadResult {
  const diagnostics: Diagnostic[] = end.finalNewline
    ? []
    : [{ file: path, line: end.lines, severity: 'info', message: noFinalNewlineMessage(end.lines) }];
  return { lines: end.lines, decodedBytes: sizeBytes, complete: true, diagnostics };
}
