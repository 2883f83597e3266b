/**
 * Playwright console captures (docs/log-formats.md §1 E8; real sample in test/fixtures/corpus/logs/), two shapes:
 *   - JSON: one `{timestamp, type, message, args[], location, testName}` object per line, or a JSON
 *     array of them (one object per line or pretty-printed over several lines; the `[`/`]` lines are
 *     structure, counted as recognized like blank lines). `location` is `"url:line"` or Playwright's
 *     `{url, lineNumber, columnNumber}`; `timestamp` is epoch ms or ISO; `testName` → `category`;
 *     `args` is ignored (`message` already holds the formatted text).
 *   - the reformatted text style: `<ISO> [<type>] <message>  (<location>)`, where `message` may hold
 *     literal `\n` escapes (a stack trace).
 * A message's extra lines (real or escaped newlines) become `continuation`; `%c` and CSS are removed.
 */
import type { LogLevel } from '../model/index.js';
import { type EnvelopeParts, isBlank, parseIsoAt, sniffShare, stripStyling, toRecord } from './envelope-helpers.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

const MAX_OBJECT_LINES = 10_000;
const TEXT_RE = /^(\d{4}-\d\d-\d\dT\S+) \[(\w+)\] (.*?)(?: {2}\((\S+)\))?$/;

export function levelOfType(type: string): LogLevel {
  switch (type) {
    case 'warning':
    case 'warn':
      return 'warn';
    case 'error':
    case 'assert':
      return 'error';
    case 'info':
      return 'info';
    case 'debug':
    case 'trace':
      return 'debug';
    default:
      return 'log';
  }
}

/** Splits a message on newlines: the first line is the message, the rest its continuation. */
function splitMessage(parts: EnvelopeParts, raw: string, newline: string): string[] {
  const lines = raw.split(newline);
  parts.message = stripStyling(lines[0]!);
  return lines.slice(1).map((l) => l.trimStart());
}

/** The reformatted text style, or undefined. Returns the escaped-newline continuation too. */
export function parsePlaywrightText(text: string): { parts: EnvelopeParts; continuation: string[] } | undefined {
  const m = TEXT_RE.exec(text);
  const iso = m ? parseIsoAt(m[1]!) : undefined;
  if (!m || !iso || iso.end !== m[1]!.length) return undefined;
  const parts: EnvelopeParts = { timeMs: iso.ms, level: levelOfType(m[2]!), message: '' };
  if (m[4] !== undefined) parts.location = m[4];
  return { parts, continuation: splitMessage(parts, m[3]!, '\\n') };
}

/** One parsed JSON capture object, or undefined when it is not one. */
export function fromPlaywrightJson(value: unknown): { parts: EnvelopeParts; continuation: string[] } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  const raw = typeof o['message'] === 'string' ? o['message'] : o['text'];
  if (typeof o['type'] !== 'string' || typeof raw !== 'string') return undefined;
  const parts: EnvelopeParts = { level: levelOfType(o['type']), message: '' };
  const ts = o['timestamp'] ?? o['time'];
  if (typeof ts === 'number' && Number.isFinite(ts)) parts.timeMs = ts;
  else if (typeof ts === 'string') parts.timeMs = parseIsoAt(ts)?.ms;
  if (parts.timeMs === undefined) delete parts.timeMs;
  const loc = o['location'];
  if (typeof loc === 'string' && loc !== '') parts.location = loc;
  else if (typeof loc === 'object' && loc !== null && typeof (loc as { url?: unknown }).url === 'string') {
    const l = loc as { url: string; lineNumber?: number };
    parts.location = l.lineNumber === undefined ? l.url : `${l.url}:${l.lineNumber}`;
  }
  if (typeof o['testName'] === 'string') parts.category = o['testName'];
  return { parts, continuation: splitMessage(parts, raw, '\n') };
}

/** Net `{`/`}` depth change of a line, ignoring braces inside JSON strings. */
function braceDelta(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125) depth--;
  }
  return depth;
}

class PlaywrightParser implements LineParser {
  private buffer: { text: string; lineNo: number }[] = [];
  private depth = 0;

  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNo: number): void {
    if (isBlank(text)) return;
    const trimmed = text.trim();
    if (this.buffer.length === 0) {
      if (/^[[\]],?$|^\],?\s*$/.test(trimmed)) return; // JSON array structure
      const t = parsePlaywrightText(text);
      if (t) this.sink.record(toRecord(lineNo, 1, t.parts, t.continuation));
      else if (trimmed.charCodeAt(0) !== 123) this.sink.unknown(lineNo, text);
      if (t || trimmed.charCodeAt(0) !== 123) return;
    }
    this.buffer.push({ text: trimmed, lineNo });
    this.depth += braceDelta(trimmed);
    // An object that never closes would hold the rest of the file: give up after MAX_OBJECT_LINES.
    if (this.depth <= 0 || this.buffer.length >= MAX_OBJECT_LINES) this.flushObject();
  }

  private flushObject(): void {
    const lines = this.buffer;
    this.buffer = [];
    this.depth = 0;
    const json = lines
      .map((l) => l.text)
      .join('\n')
      .replace(/,\s*$/, '');
    let entry: ReturnType<typeof fromPlaywrightJson>;
    try {
      entry = fromPlaywrightJson(JSON.parse(json));
    } catch {
      entry = undefined;
    }
    if (entry) {
      this.sink.record(toRecord(lines[0]!.lineNo, lines.length, entry.parts, entry.continuation));
      return;
    }
    this.sink.diagnostic({ line: lines[0]!.lineNo, severity: 'warning', message: 'not a Playwright console object' });
    for (const l of lines) this.sink.unknown(l.lineNo, l.text);
  }

  end(): void {
    if (this.buffer.length > 0) this.flushObject();
  }
}

function isJsonCapture(line: string): boolean {
  if (line.charCodeAt(0) !== 123) return false;
  try {
    return fromPlaywrightJson(JSON.parse(line.replace(/,\s*$/, ''))) !== undefined;
  } catch {
    return false;
  }
}

export const playwrightCaptureImporter: Importer = {
  id: 'playwright-capture',
  description:
    'Playwright console capture: JSON `{timestamp,type,message,location}` lines/array, or `ISO [type] msg  (loc)`',
  sniff(sample) {
    const json = sniffShare(
      sample.filter((l) => !/^\s*[[\]],?\s*$/.test(l)),
      1,
      (l) => isJsonCapture(l.trim()),
    );
    const text = sniffShare(sample, 0.95, (l) => parsePlaywrightText(l) !== undefined);
    const head = sample.slice(0, 20).join('\n');
    const pretty = /^\s*[[{]/.test(head) && /"type"\s*:/.test(head) && /"(?:message|text)"\s*:/.test(head) ? 0.9 : 0;
    return Math.max(json, text, pretty);
  },
  parse: (sink) => new PlaywrightParser(sink),
};
