/**
 * Cypress in-test console captures, `.logs/*.cy.ts-<epoch>.log` (docs/log-formats.md §1 E7):
 *   `[<ISO>] <KIND> [<ISO> ]<msg>` (component-resize.cy.ts), `[<ISO>] [<ISO> ]<msg>` (library-drop.cy.ts;
 *   the inner ISO is the conductor shim's, unbracketed),
 *   `[LOG] <msg>` / `[INFO] <msg>` (00-startup-plugins-loaded.cy.ts), and test annotations such as
 *   `[resize] …`, `[complete] ✅ …` (records with the message as written, no time or level).
 * The inner ISO (the conductor shim's) is the time when present, else the envelope's. Captures keep
 * `%c` and CSS arguments: both are removed from `message`. JSON-stringified object arguments on their
 * own line and indented lines are continuation lines of the entry above; other lines are unknown.
 */

import type { LogLevel } from '../model/index.js';
import { type EnvelopeParts, isBlank, PendingEntry, parseIsoAt, sniffShare, stripStyling } from './envelope-helpers.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

const KINDS: Readonly<Record<string, LogLevel>> = {
  LOG: 'log',
  INFO: 'info',
  WARN: 'warn',
  WARNING: 'warn',
  ERROR: 'error',
  DEBUG: 'debug',
  TRACE: 'debug',
};
const KIND_RE = /^(LOG|INFO|WARN|WARNING|ERROR|DEBUG|TRACE)(?: |$)/;
const BRACKET_KIND_RE = /^\[(LOG|INFO|WARN|WARNING|ERROR|DEBUG|TRACE)\] ?/;
const ANNOTATION_RE = /^\[[^\]\s][^\]]*\] /;

/** `[<ISO>] ` at the start of the line: the writer's own timestamp. */
function envelopeIso(text: string): { ms: number; end: number } | undefined {
  if (text.charCodeAt(0) !== 91) return undefined;
  const iso = parseIsoAt(text, 1);
  return iso && text[iso.end] === ']' ? iso : undefined;
}

/** One line in a Cypress capture envelope, or undefined. Annotations come back without time and level. */
export function parseCypressLine(text: string): EnvelopeParts | undefined {
  const outer = envelopeIso(text);
  if (outer) {
    let rest = text.slice(outer.end + 1).replace(/^ /, '');
    const kind = KIND_RE.exec(rest);
    if (kind) rest = rest.slice(kind[0].length);
    const inner = parseIsoAt(rest);
    let timeMs = outer.ms;
    if (inner && (inner.end === rest.length || rest[inner.end] === ' ')) {
      timeMs = inner.ms;
      rest = rest.slice(inner.end + 1);
    }
    return { timeMs, level: kind ? KINDS[kind[1]!] : 'log', message: stripStyling(rest) };
  }
  const bracket = BRACKET_KIND_RE.exec(text);
  if (bracket) return { level: KINDS[bracket[1]!], message: stripStyling(text.slice(bracket[0].length)) };
  if (ANNOTATION_RE.test(text)) return { message: text };
  return undefined;
}

function isJsonPreview(message: string): boolean {
  const c = message.charCodeAt(0);
  const last = message.charCodeAt(message.length - 1);
  return (c === 123 && last === 125) || (c === 91 && last === 93 && message.length > 1 && message[1] !== '"');
}

class CypressParser implements LineParser {
  private readonly entry: PendingEntry;

  constructor(private readonly sink: ParseSink) {
    this.entry = new PendingEntry(sink);
  }

  line(text: string, lineNo: number): void {
    if (isBlank(text)) return;
    const parts = parseCypressLine(text);
    if (parts) {
      if (this.entry.isOpen && isJsonPreview(parts.message)) this.entry.add(parts.message);
      else this.entry.start(parts, lineNo);
    } else if (this.entry.isOpen && /^\s/.test(text)) {
      this.entry.add(text.trimStart());
    } else {
      this.entry.flush();
      this.sink.unknown(lineNo, text);
    }
  }

  end(): void {
    this.entry.flush();
  }
}

export const cypressCaptureImporter: Importer = {
  id: 'cypress-capture',
  description: 'Cypress console capture: `[ISO] LOG [ISO] msg`, `[ISO] msg`, `[LOG] msg`, `[resize] …`',
  sniff: (sample) => sniffShare(sample, 0.95, (line) => envelopeIso(line) !== undefined || BRACKET_KIND_RE.test(line)),
  parse: (sink) => new CypressParser(sink),
};
