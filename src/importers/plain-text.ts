/**
 * Fallback for text no other importer recognizes: every non-blank line becomes a record whose
 * message is the line exactly as written (no envelope, time, level or indentation is read), so
 * nothing is ever dropped. Its sniff score is the lowest possible: the registry picks it only when
 * no real format scores above its threshold.
 */
import { isBlank, toRecord } from './envelope-helpers.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

/** A class, not a literal of closures, so its state can be forked with the builder's (ingest/fork-state.ts). */
class PlainTextParser implements LineParser {
  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNo: number): void {
    if (!isBlank(text)) this.sink.record(toRecord(lineNo, 1, { message: text }));
  }

  end(): void {}
}

export const plainTextImporter: Importer = {
  id: 'plain-text',
  description: 'Any text: one record per non-blank line, message as written',
  sniff: () => 0.01,
  parse: (sink) => new PlainTextParser(sink),
};
