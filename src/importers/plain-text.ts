/**
 * Fallback for text no other importer recognizes: every non-blank line becomes a record whose
 * message is the line exactly as written (no envelope, time, level or indentation is read), so
 * nothing is ever dropped. Its sniff score is the lowest possible: the registry picks it only when
 * no real format scores above its threshold.
 */
import { isBlank, toRecord } from './envelope-helpers.js';
import type { Importer } from './importer.js';

export const plainTextImporter: Importer = {
  id: 'plain-text',
  description: 'Any text: one record per non-blank line, message as written',
  sniff: () => 0.01,
  parse: (sink) => ({
    line(text, lineNo) {
      if (!isBlank(text)) sink.record(toRecord(lineNo, 1, { message: text }));
    },
    end() {},
  }),
};
