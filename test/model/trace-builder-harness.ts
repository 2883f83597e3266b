/**
 * Rebuilds the trace of a slice of a real captured log the way `parseFile` does (importer → grammar →
 * TraceBuilder), in memory, for table-driven builder tests.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { classifyRecord } from '../../src/importers/grammar/classify.js';
import { importText } from '../../src/importers/import-file.js';
import type { Importer } from '../../src/importers/importer.js';
import { TraceBuilder } from '../../src/model/builder/trace-builder.js';
import type { TraceEntity } from '../../src/model/index.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures');

/** Lines `from`..`to` (1-based, inclusive) of a fixture file, joined back into text. */
export function fixtureLines(file: string, from: number, to: number): string {
  const lines = readFileSync(resolve(FIXTURES, file), 'utf8').split('\n');
  if (from < 1 || to > lines.length || from > to) throw new Error(`${file} has no lines ${from}..${to}`);
  return lines.slice(from - 1, to).join('\n');
}

/** Every entity the builder emits for `text`, records and unknown lines fed in line order. */
export function rebuild(importer: Importer, text: string): TraceEntity[] {
  const parsed = importText(importer, text);
  const out: TraceEntity[] = [];
  const builder = new TraceBuilder({ fileId: 'f' }, (batch) => out.push(...batch));
  const feed = [
    ...parsed.records.map((r) => ({ line: r.line, add: () => builder.add(r, classifyRecord(r)) })),
    ...parsed.unknown.map((u) => ({ line: u.line, add: () => builder.unknown(u.line, u.text) })),
  ].sort((a, b) => a.line - b.line);
  for (const f of feed) f.add();
  builder.finish();
  return out;
}

/** The entities of one kind, typed. */
export function ofKind<K extends TraceEntity['kind']>(
  entities: readonly TraceEntity[],
  kind: K,
): Extract<TraceEntity, { kind: K }>[] {
  return entities.filter((e): e is Extract<TraceEntity, { kind: K }> => e.kind === kind);
}
