import type { Diagnostic, FormatId, LogRecord, TelemetryEvent } from '../model/index.js';

/** Receives what a parser makes of a file, in file order. */
export interface ParseSink {
  /** `classified`: the record's event when the parser read it already (from bytes); else the grammar reads it. */
  record(record: LogRecord, classified?: TelemetryEvent): void;
  /**
   * A physical line that belongs to no entry the envelope could read; kept as unknown. Lines that reach
   * neither `record` (as first or continuation line) nor `unknown` are recognized noise (blank lines,
   * structural lines such as a JSON array's brackets or a TSV header): linesRecognized = lines - unknown.
   */
  unknown(line: number, text: string): void;
  diagnostic(diagnostic: Omit<Diagnostic, 'file'>): void;
  /**
   * Records from here on come from another, independent capture (a file that concatenates excerpts of
   * several logs): the trace builder starts a new session, so runs and gaps never span two captures.
   */
  boundary?(line: number, label: string): void;
}

/**
 * A stateful line-by-line parser for one file. Push-based so the reader can stream any size:
 * `line()` for each physical line (without its line terminator), `end()` once at the end to flush
 * a pending multi-line entry.
 */
export interface LineParser {
  line(text: string, lineNo: number): void;
  end(): void;
}

export interface Importer {
  readonly id: FormatId;
  /** One line for `--help` and docs: which envelope this reads. */
  readonly description: string;
  /**
   * Confidence in [0, 1] that `sample` (the first physical lines of the file, decoded, at most ~200)
   * is in this format. The registry picks the highest score; ties go to the earlier importer.
   */
  sniff(sample: readonly string[]): number;
  parse(sink: ParseSink): LineParser;
}
