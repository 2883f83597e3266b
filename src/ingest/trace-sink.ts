/**
 * What a line parser's records become: classified, their numbers checked, and fed to the trace builder. Shared
 * by every way a file is read (whole, in chunks across threads, round by round as it grows).
 */

import { classifyRecord } from '../importers/grammar/classify.js';
import { eventNumberProblem, recordTimeProblem } from '../importers/grammar/number-check.js';
import type { ParseSink } from '../importers/importer.js';
import type { TraceBuilder } from '../model/builder/trace-builder.js';
import type { Diagnostic, LogRecord, TelemetryEvent } from '../model/index.js';

/** A record ready for the builder: its classification, or why one of its numbers cannot be stored. */
export interface CheckedRecord {
  readonly record: LogRecord;
  readonly event: TelemetryEvent | undefined;
  /** Set: the record is kept as an unknown line, with a warning saying this. */
  readonly problem?: string;
}

/**
 * Classifies a record (times floored to whole ms), unless the parser did (`classified`), and checks the numbers
 * it would store.
 */
export function checkRecord(r: LogRecord, classified?: TelemetryEvent): CheckedRecord {
  const record = wholeMs(r);
  const event = classified ?? classifyRecord(record);
  const problem = recordTimeProblem(record) ?? (event === undefined ? undefined : eventNumberProblem(event));
  return problem === undefined ? { record, event } : { record, event, problem };
}

/** Hands a checked record to the builder; a number problem makes it an unknown line with a warning. */
export function addChecked(checked: CheckedRecord, builder: TraceBuilder, diagnostics: Diagnostic[], path: string) {
  const { record, event, problem } = checked;
  if (problem === undefined) return builder.add(record, event);
  diagnostics.push({
    file: path,
    line: record.line,
    severity: 'warning',
    message: `line ${record.line}: ${problem}; kept as an unknown line`,
  });
  builder.unknown(record.line, record.message);
}

/**
 * A parser's sink feeding one builder. A class holding its parts, not a literal of closures, so a parser and
 * builder wired through it can be forked (fork-state.ts).
 */
export class TraceSink implements ParseSink {
  constructor(
    /** The file's path as diagnostics name it. */
    private readonly path: string,
    private readonly builder: TraceBuilder,
    /** Where the parser's and the checks' diagnostics go. */
    readonly diagnostics: Diagnostic[],
  ) {}

  record(r: LogRecord, classified?: TelemetryEvent): void {
    addChecked(checkRecord(r, classified), this.builder, this.diagnostics, this.path);
  }

  unknown(line: number, text: string): void {
    this.builder.unknown(line, text);
  }

  diagnostic(d: Omit<Diagnostic, 'file'>): void {
    this.diagnostics.push({ file: this.path, ...d });
  }

  boundary(line: number, label: string): void {
    this.builder.boundary(line, label);
  }
}

/** Times are stored in whole epoch ms: a fractional one (JSONL allows them) is floored. */
export function wholeMs(r: LogRecord): LogRecord {
  const t = r.timeMs;
  return t === undefined || Number.isInteger(t) || !Number.isFinite(t) ? r : { ...r, timeMs: Math.floor(t) };
}
