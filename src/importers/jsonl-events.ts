/**
 * beatscope's own structured console format, JSONL v1 (spec: docs/formats/jsonl-v1.md): an optional
 * header `{"beatscope":"console","version":1}`, then one entry object per line
 * `{"t", "level", "loc"?, "cat"?, "msg", "indent"?, "cont"?}`. The importer is lenient where the
 * spec allows (missing `t`/`level`); a line that is not valid JSON, or not an entry, goes to
 * `sink.unknown` with a diagnostic naming the line. `formatJsonlEntry` writes the same format, so any
 * importer's records can be exported and read back unchanged (the round-trip tests rely on it).
 */
import type { LogLevel, LogRecord } from '../model/index.js';
import { type EnvelopeParts, isBlank, parseIsoAt, sniffShare, toRecord } from './envelope-helpers.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

export const JSONL_HEADER = '{"beatscope":"console","version":1}';
const LEVELS: ReadonlySet<string> = new Set<LogLevel>(['debug', 'log', 'info', 'warn', 'error']);

function isHeader(value: Record<string, unknown>): boolean {
  return value['beatscope'] === 'console';
}

/** An entry object to record parts plus continuation, or a reason it is not one. */
export function fromJsonlEntry(value: unknown): { parts: EnvelopeParts; continuation: string[] } | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const o = value as Record<string, unknown>;
  if (typeof o['msg'] !== 'string') return '"msg" is missing or not a string';
  const parts: EnvelopeParts = { message: o['msg'] };
  const t = o['t'];
  if (typeof t === 'number' && Number.isFinite(t)) parts.timeMs = t;
  else if (typeof t === 'string') {
    const iso = parseIsoAt(t);
    if (!iso) return `"t" is not an ISO-8601 time: ${t}`;
    parts.timeMs = iso.ms;
  } else if (t !== undefined && t !== null) return '"t" must be epoch milliseconds or an ISO-8601 string';
  if (typeof o['level'] === 'string' && LEVELS.has(o['level'])) parts.level = o['level'] as LogLevel;
  else if (o['level'] !== undefined && o['level'] !== null) return `unknown "level": ${String(o['level'])}`;
  if (typeof o['loc'] === 'string') parts.location = o['loc'];
  if (typeof o['cat'] === 'string') parts.category = o['cat'];
  if (typeof o['indent'] === 'number' && Number.isInteger(o['indent']) && o['indent'] > 0) parts.indent = o['indent'];
  const cont = Array.isArray(o['cont']) ? o['cont'].filter((c): c is string => typeof c === 'string') : [];
  return { parts, continuation: cont };
}

/** One JSONL v1 line for a record (no trailing newline). Field order is fixed so output is stable. */
export function formatJsonlEntry(record: LogRecord): string {
  const o: Record<string, unknown> = {};
  if (record.timeMs !== undefined) o['t'] = record.timeMs;
  if (record.level !== undefined) o['level'] = record.level;
  if (record.location !== undefined) o['loc'] = record.location;
  if (record.category !== undefined) o['cat'] = record.category;
  o['msg'] = record.message;
  if (record.indent) o['indent'] = record.indent;
  if (record.continuation?.length) o['cont'] = record.continuation;
  return JSON.stringify(o);
}

class JsonlParser implements LineParser {
  constructor(private readonly sink: ParseSink) {}

  line(text: string, lineNo: number): void {
    if (isBlank(text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.reject(lineNo, text, `not valid JSON (${(error as Error).message})`);
      return;
    }
    if (typeof value === 'object' && value !== null && isHeader(value as Record<string, unknown>)) {
      const version = (value as Record<string, unknown>)['version'];
      if (version !== 1) {
        this.sink.diagnostic({
          line: lineNo,
          severity: 'warning',
          message: `JSONL version ${String(version)}; reading as version 1`,
        });
      }
      return;
    }
    const entry = fromJsonlEntry(value);
    if (typeof entry === 'string') this.reject(lineNo, text, entry);
    else this.sink.record(toRecord(lineNo, 1, entry.parts, entry.continuation));
  }

  private reject(lineNo: number, text: string, why: string): void {
    this.sink.unknown(lineNo, text);
    this.sink.diagnostic({ line: lineNo, severity: 'warning', message: `line ${lineNo}: ${why}` });
  }

  end(): void {}
}

export const jsonlEventsImporter: Importer = {
  id: 'jsonl-events',
  description: 'beatscope JSONL v1: `{"beatscope":"console","version":1}` then `{"t","level","msg",…}` per line',
  sniff(sample) {
    const first = sample.find((l) => !isBlank(l));
    if (first !== undefined && /^\{\s*"beatscope"\s*:\s*"console"/.test(first)) return 1;
    return sniffShare(sample, 0.9, (l) => {
      if (l.charCodeAt(0) !== 123 || !l.includes('"msg"')) return false;
      try {
        return typeof fromJsonlEntry(JSON.parse(l)) !== 'string';
      } catch {
        return false;
      }
    });
  },
  parse: (sink) => new JsonlParser(sink),
};
