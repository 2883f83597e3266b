/**
 * Shared pieces of the table-driven rule tests (`*-rules.test.ts`): the real captured consoles the rows are
 * copied from, and a matcher that runs one rule family the way `classifyMessage` runs all of them.
 * Test-only (`*-fixtures.ts` is left out of the build).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TelemetryEvent } from '../../model/index.js';
import type { Rule } from './rule.js';
import { dispatchKey, stripIcon } from './text.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');

/** Short names of the real logs rows come from (test/fixtures/README.md says where each was captured). */
export const SOURCES = {
  'sample-telemetry': 'corpus/logs/chrome-saved-empty-location.sample-telemetry.log',
  'devtools-transcript': 'corpus/logs/chrome-per-source-location.devtools-transcript.log',
  'resize-move': 'corpus/logs/chrome-per-source-location.resize-move.log',
  installhook: 'corpus/logs/chrome-saved-installhook.excerpt-1.log',
  cypress: 'corpus/logs/cypress-capture.component-resize.excerpt.log',
  dotnet: 'corpus/logs/dotnet-mel-console.app-output.log',
  'doc-excerpts': 'corpus/logs/mixed-envelopes.doc-excerpts.log',
  'production-index': 'corpus/logs/first-and-last-lines-of-97-production-logs.tsv',
  'node-1.4.5': 'node-console/musical-conductor-1.4.5.play-with-throwing-handler.log',
} as const;
export type Source = keyof typeof SOURCES;

const texts = new Map<Source, string>();

/** The whole text of a source log, read once. */
export function sourceText(source: Source): string {
  let text = texts.get(source);
  if (text === undefined) {
    text = readFileSync(path.join(FIXTURES, SOURCES[source]), 'utf8');
    texts.set(source, text);
  }
  return text;
}

/** A real message (envelope removed) and the fields of the event its rule must yield. */
export interface MatchRow {
  readonly source: Source;
  readonly message: string;
  readonly continuation?: readonly string[];
  readonly expected: Partial<TelemetryEvent> & { readonly kind: TelemetryEvent['kind'] };
}

/** A message the family must leave alone; `why` says which near-miss it is. */
export interface MissRow {
  readonly message: string;
  readonly why: string;
}

/**
 * Runs only `rules` on a message, with the same icon stripping, `[JS] ` prefix removal and dispatch by
 * first word as `classifyMessage`, so a row fails here when this family's own rule is wrong.
 */
export function matchFamily(
  rules: readonly Rule[],
  message: string,
  continuation?: readonly string[],
): TelemetryEvent | undefined {
  let text = stripIcon(message);
  if (text.startsWith('[JS] ')) text = stripIcon(text.slice(5));
  const key = text.charCodeAt(0) === 123 ? '{' : dispatchKey(text);
  for (const r of rules) {
    if (!r.keys.includes(key)) continue;
    const m = r.re.exec(text);
    if (m) return r.make(m, { continuation });
  }
  return undefined;
}
