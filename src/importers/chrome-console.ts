/**
 * Chrome DevTools console saved with "Save as…" (docs/log-formats.md §1 E1–E6):
 *   E1/E4/E5 `<File>.ts:<line> <ISO> <msg>` · E2/E5 `<File>.ts:<line> <msg>` (one location or per emitter)
 *   E3 ` <msg>` and ` <ISO> <msg>` (empty location column) · E6 `<ISO> <msg>`.
 * Object arguments printed on their own line (`Object`, `Array(3)`, `▶ {…}`, a `{…}` preview) and
 * lines indented by 2+ spaces (stack frames, wrapped text) are continuation lines of the entry above.
 * `%c` tokens and trailing CSS arguments are removed when present. Levels are not in the saved text
 * (Chrome drops them), so `level` stays undefined; `timeMs` is set only on lines that carry an ISO.
 * Anything else (e.g. `# source:` notes in the corpus excerpts) goes to `sink.unknown`.
 */
import {
  type EnvelopeParts,
  isBlank,
  LOCATION_RE,
  PendingEntry,
  parseIsoAt,
  sniffShare,
  stripStyling,
} from './envelope-helpers.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

/** A leading ISO followed by a space (or the end of the line): the `__MC_*` shim's prefix. */
function isoPrefix(text: string, at: number): { ms: number; end: number } | undefined {
  const iso = parseIsoAt(text, at);
  if (!iso) return undefined;
  if (iso.end === text.length) return iso;
  return text.charCodeAt(iso.end) === 32 ? { ms: iso.ms, end: iso.end + 1 } : undefined;
}

/** One physical line in any Chrome envelope, or undefined when the line has none. */
export function parseChromeLine(text: string): EnvelopeParts | undefined {
  let rest: number;
  let location: string | undefined;
  const loc = LOCATION_RE.exec(text);
  if (loc) {
    location = loc[1];
    rest = loc[0].length;
  } else if (text.charCodeAt(0) === 32 && text.charCodeAt(1) !== 32) rest = 1;
  else if (text.charCodeAt(0) >= 48 && text.charCodeAt(0) <= 57 && isoPrefix(text, 0)) rest = 0;
  else return undefined;
  const iso = isoPrefix(text, rest);
  const parts: EnvelopeParts = { message: stripStyling(text.slice(iso ? iso.end : rest)) };
  if (location !== undefined) parts.location = location;
  if (iso) parts.timeMs = iso.ms;
  return parts;
}

/** Chrome's rendering of an object argument that got a line of its own. */
export function isObjectPreview(message: string): boolean {
  const c = message.charCodeAt(0);
  if (c === 0x25b6 /* ▶ */) return true;
  if (c === 123 /* { */) return message.endsWith('}');
  return message === 'Object' || /^Array\(\d+\)$/.test(message);
}

export class ChromeParser implements LineParser {
  private readonly entry: PendingEntry;

  constructor(private readonly sink: ParseSink) {
    this.entry = new PendingEntry(sink);
  }

  line(text: string, lineNo: number): void {
    if (isBlank(text)) return;
    const parts = parseChromeLine(text);
    if (parts) {
      this.envelopeLine(parts, lineNo);
      return;
    }
    if (this.entry.isOpen && /^\s/.test(text)) {
      this.entry.add(text.trimStart());
      return;
    }
    this.entry.flush();
    this.sink.unknown(lineNo, text);
  }

  /**
   * A non-blank line whose envelope was read elsewhere (the byte path, chrome-bytes.ts): `parts` as
   * `parseChromeLine` gives them.
   */
  envelopeLine(parts: EnvelopeParts, lineNo: number): void {
    // A message classified from its bytes is a framework line, never an object preview (and is not read here,
    // so its text stays two strings: chrome-bytes.ts).
    if (parts.event === undefined && this.entry.isOpen && isObjectPreview(parts.message)) this.entry.add(parts.message);
    else this.entry.start(parts, lineNo);
  }

  end(): void {
    this.entry.flush();
  }
}

export const chromeConsoleImporter: Importer = {
  id: 'chrome-console',
  description: 'Chrome DevTools "Save as…" console: `File.ts:56 [ISO] msg`, ` [ISO] msg`, `ISO msg`',
  sniff: (sample: readonly string[]) => sniffShare(sample, 0.9, (line) => parseChromeLine(line) !== undefined),
  parse: (sink: ParseSink): LineParser => new ChromeParser(sink),
};
