/**
 * Pieces every envelope importer shares: ISO-8601 parsing to epoch ms, console styling removal,
 * the console location column, sniff scoring, and the pending-entry builder that attaches
 * continuation lines. Spec: docs/log-formats.md §1.
 */
import type { LogLevel, LogRecord, TelemetryEvent } from '../model/index.js';
import type { ParseSink } from './importer.js';

/** What one envelope yields before it becomes a record (the line numbers are the parser's business). */
export interface EnvelopeParts {
  timeMs?: number;
  level?: LogLevel;
  location?: string;
  category?: string;
  message: string;
  indent?: number;
  /** The message's event, when it was classified from the line's bytes (grammar/baton-bytes.ts). */
  event?: TelemetryEvent;
}

/** Two ASCII digits at `i` as a number, or -1. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Reads `YYYY-MM-DD(T| )HH:MM:SS[.fff…][Z|±HH:MM|±HHMM| ±HH:MM]` at `at` without allocating a Date
 * (charCode arithmetic + Date.UTC: ~10× cheaper than `new Date(str)` per line). A time without a
 * zone is taken as UTC. Returns epoch ms and the index just past the timestamp, or undefined.
 */
export function parseIsoAt(s: string, at = 0): { ms: number; end: number } | undefined {
  if (s.length < at + 19) return undefined;
  // Consecutive log lines mostly share the date and time up to the second: reuse that part.
  if (lastSecondText !== '' && s.startsWith(lastSecondText, at)) return finishIso(s, at, lastSecondMs);
  const y1 = d2(s, at);
  const y2 = d2(s, at + 2);
  const mo = d2(s, at + 5);
  const d = d2(s, at + 8);
  const h = d2(s, at + 11);
  const mi = d2(s, at + 14);
  const sec = d2(s, at + 17);
  const sep = s.charCodeAt(at + 10);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
    return undefined;
  if (sec < 0 || sec > 60 || s[at + 4] !== '-' || s[at + 7] !== '-' || (sep !== 84 && sep !== 32)) return undefined;
  if (s[at + 13] !== ':' || s[at + 16] !== ':') return undefined;
  const secondMs = Date.UTC(y1 * 100 + y2, mo - 1, d, h, mi, sec);
  lastSecondText = s.slice(at, at + 19);
  lastSecondMs = secondMs;
  return finishIso(s, at, secondMs);
}

/** The `YYYY-MM-DDTHH:MM:SS` text last parsed and its epoch ms (UTC, no fraction), shared by all parsers. */
let lastSecondText = '';
let lastSecondMs = 0;

/** Fraction and zone after the seconds of an ISO time whose first 19 characters gave `secondMs`. */
function finishIso(s: string, at: number, secondMs: number): { ms: number; end: number } {
  let i = at + 19;
  let ms = 0;
  if (s[i] === '.') {
    let scale = 100;
    for (i++; i < s.length; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale /= 10;
    }
  }
  let offsetMin = 0;
  if (s[i] === 'Z') i++;
  else {
    const z = s[i] === ' ' && (s[i + 1] === '+' || s[i + 1] === '-') ? i + 1 : i;
    if (s[z] === '+' || s[z] === '-') {
      const oh = d2(s, z + 1);
      const om = s[z + 3] === ':' ? d2(s, z + 4) : d2(s, z + 3);
      if (oh >= 0 && om >= 0) {
        offsetMin = (s[z] === '+' ? 1 : -1) * (oh * 60 + om);
        i = z + (s[z + 3] === ':' ? 6 : 5);
      }
    }
  }
  return { ms: secondMs + Math.round(ms) - offsetMin * 60_000, end: i };
}

/** Chrome's location column: `File.ts:56`, `installHook.js:1`, `VM123:4`, `(index):12`, then one space. */
export const LOCATION_RE = /^((?:[\w.@-]+\.(?:[cm]?[jt]sx?|vue|svelte|html?)(?:\?[\w=&.-]*)?|VM\d+|\(index\)):\d+) /;

const CSS_DECL =
  '\\s+(?:color|background(?:-color)?|font-(?:weight|size|style|family)|padding|margin|border(?:-radius)?|text-decoration|text-shadow|display|line-height)\\s*:[^;]*';
/** CSS arguments that followed a `%c` format string, as captures keep them (§1 "%c styling"). */
const CSS_TAIL_RE = new RegExp(`(?:${CSS_DECL};)+\\s*$`);
/** With a `%c` in the line the last declaration may lack its `;` (`… font-weight:bold`). */
const CSS_TAIL_AFTER_C_RE = new RegExp(`(?:${CSS_DECL};)*${CSS_DECL};?\\s*$`);

/**
 * Removes `%c` tokens and trailing CSS arguments; other text is left exactly as printed. Without a
 * `%c` only `;`-terminated declarations of known properties go, so `Theme color: dark` survives.
 */
export function stripStyling(message: string): string {
  if (message.includes('%c')) return message.replaceAll('%c', '').replace(CSS_TAIL_AFTER_C_RE, '');
  const last = message.charCodeAt(message.length - 1);
  return last === 59 /* ; */ || last === 32 ? message.replace(CSS_TAIL_RE, '') : message;
}

/** Blank lines are recognized noise: skipped, never records, never unknown. */
export function isBlank(text: string): boolean {
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '');
}

/** Share of non-blank sample lines matching `test`, times `weight` (the format's specificity). */
export function sniffShare(sample: readonly string[], weight: number, test: (line: string) => boolean): number {
  let total = 0;
  let hits = 0;
  for (const line of sample) {
    if (isBlank(line)) continue;
    total++;
    if (test(line)) hits++;
  }
  return total === 0 ? 0 : (hits / total) * weight;
}

/** Builds a record, leaving out undefined fields so records compare cleanly. */
export function toRecord(line: number, lineCount: number, parts: EnvelopeParts, continuation?: readonly string[]) {
  const r: { -readonly [K in keyof LogRecord]: LogRecord[K] } = { line, lineCount, message: parts.message };
  if (parts.timeMs !== undefined) r.timeMs = parts.timeMs;
  if (parts.level !== undefined) r.level = parts.level;
  if (parts.location !== undefined) r.location = parts.location;
  if (parts.category !== undefined) r.category = parts.category;
  if (parts.indent !== undefined) r.indent = parts.indent;
  if (continuation && continuation.length > 0) r.continuation = continuation;
  return r as LogRecord;
}

/**
 * The entry being read: a first line plus the lines that continue it. Flushed to the sink when the
 * next entry starts or the file ends, so records leave in file order.
 */
export class PendingEntry {
  private parts: EnvelopeParts | undefined;
  private line = 0;
  private lineCount = 0;
  private continuation: string[] = [];

  constructor(private readonly sink: ParseSink) {}

  get isOpen(): boolean {
    return this.parts !== undefined;
  }

  start(parts: EnvelopeParts, lineNo: number): void {
    this.flush();
    this.parts = parts;
    this.line = lineNo;
    this.lineCount = 1;
  }

  /** A physical line that adds to the entry. With `asMessage` it becomes the message (a .NET body line). */
  add(text: string, asMessage = false): void {
    this.lineCount++;
    if (asMessage && this.parts) {
      this.parts.message = text;
      this.parts.event = undefined;
    } else this.continuation.push(text);
  }

  flush(): void {
    if (!this.parts) return;
    this.sink.record(toRecord(this.line, this.lineCount, this.parts, this.continuation), this.parts.event);
    this.parts = undefined;
    // A record keeps a non-empty list; an empty one is reused (most entries have no continuation).
    if (this.continuation.length > 0) this.continuation = [];
  }
}
