/**
 * Reads one file end to end into memory: open → sniff → parse, with the line accounting FileInfo
 * needs. Meant for tests, small files and tools; the ingest pipeline does the same steps but streams
 * records into the store instead of collecting them.
 */

import type { Diagnostic, LogRecord, TextEncoding } from '../model/index.js';
import type { Importer } from './importer.js';
import { openLines, type ReadOptions, type ReadResult } from './line-reader.js';
import { detectFormat } from './registry.js';

export interface ImportedFile {
  readonly importer: Importer;
  readonly encoding: TextEncoding;
  readonly gzip: boolean;
  readonly records: LogRecord[];
  readonly unknown: { line: number; text: string }[];
  /** Reader diagnostics then parser diagnostics, each in line order of discovery. */
  readonly diagnostics: Diagnostic[];
  readonly read: ReadResult;
  /** `read.lines - unknown.length`: lines in records plus recognized noise (blank/structural lines). */
  readonly linesRecognized: number;
}

/** `importer` forces a format; otherwise it is detected from the first lines. */
export async function importFile(path: string, importer?: Importer, options?: ReadOptions): Promise<ImportedFile> {
  const source = await openLines(path, options);
  const chosen = importer ?? detectFormat(source.sample);
  const records: LogRecord[] = [];
  const unknown: { line: number; text: string }[] = [];
  const parseDiagnostics: Diagnostic[] = [];
  const parser = chosen.parse({
    record: (r) => records.push(r),
    unknown: (line, text) => unknown.push({ line, text }),
    diagnostic: (d) => parseDiagnostics.push({ file: path, ...d }),
  });
  const read = await source.forEachLine((text, lineNo, bad) =>
    bad ? unknown.push({ line: lineNo, text }) : parser.line(text, lineNo),
  );
  parser.end();
  return {
    importer: chosen,
    encoding: source.encoding,
    gzip: source.gzip,
    records,
    unknown,
    diagnostics: [...read.diagnostics, ...parseDiagnostics],
    read,
    linesRecognized: read.lines - unknown.length,
  };
}

export interface ParsedText {
  readonly records: LogRecord[];
  readonly unknown: { line: number; text: string }[];
  readonly diagnostics: Omit<Diagnostic, 'file'>[];
}

/** Parses in-memory text (lines end at LF, CRLF or a bare CR, as in files) with one importer: for tests and snippets. */
export function importText(importer: Importer, text: string): ParsedText {
  const out: ParsedText = { records: [], unknown: [], diagnostics: [] };
  const parser = importer.parse({
    record: (r) => out.records.push(r),
    unknown: (line, t) => out.unknown.push({ line, text: t }),
    diagnostic: (d) => out.diagnostics.push(d),
  });
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  for (const [i, line] of lines.entries()) parser.line(line, i + 1);
  parser.end();
  return out;
}
