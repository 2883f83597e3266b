/**
 * The stored form of a CodeIndex (`code_snapshot.index_json`): the CodeIndex JSON with two fields in front,
 * `format: "beatscope-code-index"` and `version: 1`, where a handler's test link holds the position of its
 * case in `tests` instead of a copy of the case (`{"test": 12, "evidence": "import-call"}`). Each case is
 * then written once: about half the size of the plain JSON, and native JSON parsing and writing still do
 * nearly all the work (a cold CLI process runs little JavaScript per object). Decoding gives back an equal
 * CodeIndex whose links share the `tests` case objects. A snapshot written before this format (the plain
 * CodeIndex) decodes as it is.
 */
import type { CodeIndex, HandlerTestLink, TestCase } from '../model/index.js';

export const CODE_INDEX_FORMAT = 'beatscope-code-index';

interface StoredLink {
  test: number | TestCase;
  readonly evidence: HandlerTestLink['evidence'];
}

export function encodeCodeIndex(index: CodeIndex): string {
  const position = new Map<TestCase, number>();
  index.tests.forEach((t, i) => {
    position.set(t, i);
  });
  let byValue: Map<string, number> | null = null;
  const at = (t: TestCase, handler: string): number => {
    let i = position.get(t);
    if (i === undefined) {
      // Links normally point at the index's own case objects; an equal copy is found by value.
      if (!byValue) {
        byValue = new Map();
        for (let k = index.tests.length - 1; k >= 0; k--) byValue.set(caseKey(index.tests[k]!), k);
      }
      i = byValue.get(caseKey(t));
    }
    if (i === undefined) throw new Error(`code index: handler ${handler} links a test missing from its tests`);
    return i;
  };
  return JSON.stringify({
    format: CODE_INDEX_FORMAT,
    version: 1,
    ...index,
    handlers: index.handlers.map((h) => ({
      ...h,
      tests: h.tests.map((l): StoredLink => ({ test: at(l.test, h.handler), evidence: l.evidence })),
    })),
  });
}

export function decodeCodeIndex(text: string): CodeIndex {
  const parsed = JSON.parse(text) as CodeIndex & { format?: string; version?: number };
  const { format, version, ...index } = parsed;
  if (format === undefined) return parsed; // written before this format
  if (format !== CODE_INDEX_FORMAT || version !== 1) {
    throw new Error(`code index stored as ${format} version ${version}; this beatscope reads version 1`);
  }
  for (const h of index.handlers) {
    for (const l of h.tests as readonly StoredLink[]) {
      const test = index.tests[l.test as number];
      if (test === undefined) throw new Error(`code index: a link of handler ${h.handler} points at no test`);
      l.test = test;
    }
  }
  return index;
}

const caseKey = (t: TestCase): string => `${t.file}\u0000${t.line}\u0000${t.name}\u0000${t.framework}`;
