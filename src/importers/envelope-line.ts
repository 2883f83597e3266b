/**
 * Reads a single physical line whose file is unknown (a cell of the log-file index): tries the
 * single-line envelope of each importer, most specific first, and falls back to the plain text.
 * Multi-line context (continuations, .NET body lines) is not available here by construction.
 */

import type { FormatId } from '../model/index.js';
import { parseChromeLine } from './chrome-console.js';
import { parseCypressLine } from './cypress-capture.js';
import { parseMelHeader } from './dotnet-mel-console.js';
import { type EnvelopeParts, isBlank } from './envelope-helpers.js';
import { fromJsonlEntry } from './jsonl-events.js';
import { fromPlaywrightJson, parsePlaywrightText } from './playwright-capture.js';
import { parseSerilogLine } from './serilog.js';

export interface EnvelopeLine {
  /** The importer whose envelope matched (`plain-text` when none did). */
  readonly format: FormatId;
  readonly parts: EnvelopeParts;
  readonly continuation: readonly string[];
}

function fromJson(text: string): EnvelopeLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const pw = fromPlaywrightJson(value);
  if (pw) return { format: 'playwright-capture', ...pw };
  const jl = fromJsonlEntry(value);
  return typeof jl === 'string' ? undefined : { format: 'jsonl-events', ...jl };
}

type SingleLineReader = (text: string) => EnvelopeLine | undefined;

const single =
  (format: FormatId, parse: (text: string) => EnvelopeParts | undefined): SingleLineReader =>
  (text) => {
    const parts = parse(text);
    return parts && { format, parts, continuation: [] };
  };

/** Most specific first: Serilog's `[HH:mm:ss INF]` must win over Cypress's `[annotation]`, etc. */
const READERS: readonly SingleLineReader[] = [
  (text) => (text.charCodeAt(0) === 123 ? fromJson(text) : undefined),
  (text) => {
    const pw = parsePlaywrightText(text);
    return pw && { format: 'playwright-capture', ...pw };
  },
  single('serilog', parseSerilogLine),
  single('cypress-capture', parseCypressLine),
  single('dotnet-mel-console', parseMelHeader),
  single('chrome-console', parseChromeLine),
];

/** The envelope of one line, or undefined for a blank line. */
export function parseEnvelopeLine(text: string): EnvelopeLine | undefined {
  if (isBlank(text)) return undefined;
  for (const read of READERS) {
    const hit = read(text);
    if (hit) return hit;
  }
  return { format: 'plain-text', parts: { message: text }, continuation: [] };
}
