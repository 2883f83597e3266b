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

/**
 * What is kept of a file's content to recognise a later save of the same console: a file whose content
 * is a byte prefix of another's (a console saved at 10:00, then again at 10:30) is superseded by it.
 */
export interface ContentPrint {
  /** Content length in bytes, after gunzip. */
  readonly contentBytes: number;
  /** Hex SHA-256 of the content; `fileId` is its first 16 chars. */
  readonly digest: string;
  /**
   * 16-hex SHA-256 prefixes of the first 512·16^k bytes of the content (512 B, 8 KiB, 128 KiB, 2 MiB …),
   * for every such length ≤ `contentBytes`: two files can only be prefix and extension of each other when
   * the longest step the shorter one has matches.
   */
  readonly heads: readonly string[];
}
