/**
 * What an importer yields: one logical console entry with its envelope removed.
 * A logical entry may span several physical lines (a .NET two-line entry, a stack trace,
 * a multi-line object literal printed by Node).
 */

export type LogLevel = 'debug' | 'log' | 'info' | 'warn' | 'error';

/** Identifies an importer; stored with every file so a re-ingest can say how it was read. */
export type FormatId = string;

export interface LogRecord {
  /** 1-based number of the first physical line of the entry in its file. */
  readonly line: number;
  /** Physical lines this entry spans (>= 1). */
  readonly lineCount: number;
  /** Wall-clock time from the envelope (or an embedded ISO), epoch milliseconds; undefined when the line has none. */
  readonly timeMs?: number;
  readonly level?: LogLevel;
  /** Emitter location shown by the console, e.g. `EventBus.ts:56` or `installHook.js:1`. */
  readonly location?: string;
  /** Source category of structured loggers (.NET category, Serilog SourceContext). */
  readonly category?: string;
  /** The message text: envelope, `%c` tokens and their CSS arguments removed; leading indentation removed. */
  readonly message: string;
  /** Indentation depth of the message as printed (Node console groups: 2 spaces per level). */
  readonly indent?: number;
  /** Continuation lines that belong to this entry (stack frames, object literal lines), trimmed of the envelope. */
  readonly continuation?: readonly string[];
}

export type Severity = 'info' | 'warning' | 'error';

/** A problem met while reading a file: data, never thrown past an importer. */
export interface Diagnostic {
  readonly file: string;
  /** 1-based line, 0 when the problem concerns the whole file. */
  readonly line: number;
  readonly severity: Severity;
  readonly message: string;
}
