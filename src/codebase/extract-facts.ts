/** Dispatches one file's text to the extractor for its kind. Never throws: failures become problems. */

import type { FileKind } from './classify.js';
import type { FileFacts } from './facts.js';
import { jsonFacts } from './json-facts.js';
import { moduleFacts } from './module-facts.js';
import { testFileFacts } from './test-facts.js';
import { parseSource } from './ts-parse.js';

export function extractFacts(rel: string, kind: FileKind, text: string): FileFacts {
  try {
    if (kind === 'sequence-json' || kind === 'package-json' || kind === 'manifest-json') {
      return jsonFacts(rel, kind, text);
    }
    const { sf, problems } = parseSource(rel, text);
    if (kind === 'test') return { problems, testFile: testFileFacts(rel, sf) };
    return { problems, module: moduleFacts(sf) };
  } catch (err) {
    return {
      problems: [{ file: rel, line: 0, severity: 'error', message: `cannot index file: ${(err as Error).message}` }],
    };
  }
}
