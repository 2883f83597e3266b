import type { Diagnostic, FormatId } from './log-record.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** One ingested file: its identity, how it was read, and what became of its lines. */
export interface FileInfo {
  /** Deterministic: first 16 hex chars of the SHA-256 of the file's bytes (after gunzip). */
  readonly fileId: string;
  /** Absolute path at ingest time. */
  readonly path: string;
  readonly sizeBytes: number;
  readonly mtimeMs: number;
  readonly format: FormatId;
  readonly encoding: TextEncoding;
  readonly gzip: boolean;
  /** Physical lines read (a final line without a newline counts). */
  readonly lines: number;
  /** Physical lines that belong to a recognized entry (including continuation lines and blank lines). */
  readonly linesRecognized: number;
  /** Physical lines kept as unknown lines. Invariant: linesRecognized + linesUnknown === lines. */
  readonly linesUnknown: number;
  readonly diagnostics: readonly Diagnostic[];
}
