/**
 * Plain Node.js console output of musical-conductor (no envelope; docs/log-formats.md §7 "Node console
 * shape", test/fixtures/node-console/). Reads:
 *   - `console.group` nesting: 2 spaces per level → `indent`, stripped from `message`;
 *   - multi-line object literals printed by util.inspect (`{` … `}` / `[` … `]`, either alone after an
 *     entry or at the end of an entry's line) → continuation of that entry, group indentation removed;
 *   - stack traces (`    at fn (file:line:col)`) → continuation of the error entry above.
 * No times or levels exist in this output (stdout and stderr are merged). Every non-blank line ends up
 * in a record, so this importer also serves as the fallback for envelope-less text.
 */
import { type EnvelopeParts, isBlank, LOCATION_RE, PendingEntry, parseIsoAt, sniffShare } from './envelope-helpers.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

const STACK_FRAME_RE = /^\s+at \S/;
/** What envelope-less conductor output starts with: an emoji, a `Component: ` prefix, object syntax. */
const NODE_START_RE = /^(?:\p{Extended_Pictographic}|[{}[\]],?$|[A-Z][\w.]*: )/u;

function leadingSpaces(text: string): number {
  let i = 0;
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/** A line of Node console output: group indentation (2 spaces per level) and the message. */
export function parseNodeLine(text: string): EnvelopeParts {
  const spaces = leadingSpaces(text);
  const parts: EnvelopeParts = { message: text.slice(spaces) };
  if (spaces >= 2) parts.indent = spaces >> 1;
  return parts;
}

function opensObject(message: string): boolean {
  const last = message.charCodeAt(message.length - 1);
  return (last === 123 || last === 91) && (message.length === 1 || message.charCodeAt(message.length - 2) === 32);
}

class NodeConsoleParser implements LineParser {
  private readonly entry: PendingEntry;
  /** Leading spaces of the line that opened a multi-line object; -1 outside one. */
  private objectSpaces = -1;
  /** Leading spaces of the current entry's first line. */
  private entrySpaces = 0;

  constructor(sink: ParseSink) {
    this.entry = new PendingEntry(sink);
  }

  line(text: string, lineNo: number): void {
    if (isBlank(text)) return;
    const spaces = leadingSpaces(text);
    const opener = this.objectSpaces;
    if (opener >= 0) {
      if (spaces > opener) {
        this.entry.add(text.slice(opener));
        return;
      }
      this.objectSpaces = -1; // a line at or left of the opener ends the object; `}`/`]` belongs to it
      const c = text.charCodeAt(spaces);
      if (spaces === opener && (c === 125 || c === 93)) {
        this.entry.add(text.slice(spaces));
        return;
      }
    }
    if (this.entry.isOpen && STACK_FRAME_RE.test(text) && spaces >= this.entrySpaces + 4) {
      this.entry.add(text.slice(spaces));
      if (opensObject(text)) this.objectSpaces = this.entrySpaces;
      return;
    }
    const parts = parseNodeLine(text);
    const bare = parts.message === '{' || parts.message === '[';
    if (bare && this.entry.isOpen) this.entry.add(parts.message);
    else {
      this.entry.start(parts, lineNo);
      this.entrySpaces = spaces;
    }
    if (opensObject(parts.message)) this.objectSpaces = spaces;
  }

  end(): void {
    this.entry.flush();
  }
}

export const nodeConsoleImporter: Importer = {
  id: 'node-console',
  description: 'Node.js console output of musical-conductor: group indentation, object literals, stack traces',
  sniff: (sample) =>
    sniffShare(sample, 0.5, (line) => {
      if (STACK_FRAME_RE.test(line)) return true;
      const spaces = leadingSpaces(line);
      if (spaces % 2 === 1 || LOCATION_RE.test(line) || parseIsoAt(line, spaces)) return false;
      return NODE_START_RE.test(line.slice(spaces));
    }),
  parse: (sink) => new NodeConsoleParser(sink),
};
