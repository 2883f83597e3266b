/**
 * The corpus' log-file index, `first-and-last-lines-of-97-production-logs.tsv`: a header
 * `file\tlines\tbytes\tfirstLine\tlastLine`, then one row per unpublished log. Each row yields up to
 * two records, its firstLine and lastLine, read with `parseEnvelopeLine` (the same envelope code as
 * the per-format importers), so every envelope seen in the wild is exercised. Both records carry the
 * row's physical line number. Empty or blank cells yield nothing; the file/lines/bytes cells are not
 * kept. The header line counts as recognized; a row without five cells goes to `sink.unknown`.
 */
import { toRecord } from './envelope-helpers.js';
import { parseEnvelopeLine } from './envelope-line.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

export const LOG_FILE_INDEX_HEADER = 'file\tlines\tbytes\tfirstLine\tlastLine';

class LogFileIndexParser implements LineParser {
  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNo: number): void {
    if (text === LOG_FILE_INDEX_HEADER || text === '') return;
    const cells = text.split('\t');
    if (cells.length !== 5) {
      this.sink.unknown(lineNo, text);
      return;
    }
    // Each row is a different production log: its lines must not join runs or gaps of the previous row.
    this.sink.boundary?.(lineNo, `log-file-index row: ${cells[0]}`);
    for (const cell of [cells[3]!, cells[4]!]) {
      // Cells copied from CRLF files keep their `\r`; the line reader strips it from real lines.
      const hit = parseEnvelopeLine(cell.endsWith('\r') ? cell.slice(0, -1) : cell);
      if (hit) this.sink.record(toRecord(lineNo, 1, hit.parts, hit.continuation));
    }
  }

  end(): void {}
}

export const logFileIndexImporter: Importer = {
  id: 'log-file-index',
  description: 'beatscope corpus index TSV: file, lines, bytes, firstLine, lastLine of each log',
  sniff: (sample) => (sample[0] === LOG_FILE_INDEX_HEADER ? 1 : 0),
  parse: (sink) => new LogFileIndexParser(sink),
};
