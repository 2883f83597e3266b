/**
 * Serilog text sinks as configured by RenderX.Shell.Avalonia (docs/log-formats.md §1 E10, E11):
 *   console `[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}`
 *   file    `[{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz}] [{Level:u3}] {SourceContext}: {Message:lj}…`
 * Level codes VRB DBG INF WRN ERR FTL. Lines that do not start an entry are its continuation (the
 * exception and its stack); before the first entry they are unknown. The console format has no date,
 * so its `timeMs` stays undefined (anchoring HH:mm:ss to a day is left to the caller). Other output
 * templates are not read. No real sample exists: fixtures are built from the documented templates.
 */
import type { LogLevel } from '../model/index.js';
import { type EnvelopeParts, isBlank, PendingEntry, parseIsoAt, sniffShare } from './envelope-helpers.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

const CONSOLE_RE = /^\[\d\d:\d\d:\d\d(?:\.\d+)? (VRB|DBG|INF|WRN|ERR|FTL)\] (.*)$/;
const FILE_RE =
  /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: ?[+-]\d\d:?\d\d|Z)?)\] \[(VRB|DBG|INF|WRN|ERR|FTL)\] (.*)$/;
const CONTEXT_RE = /^([A-Za-z_][\w.`+]*): /;

const LEVELS: Readonly<Record<string, LogLevel>> = {
  VRB: 'debug',
  DBG: 'debug',
  INF: 'info',
  WRN: 'warn',
  ERR: 'error',
  FTL: 'error',
};

function withContext(parts: EnvelopeParts, rest: string): EnvelopeParts {
  const ctx = CONTEXT_RE.exec(rest);
  if (ctx) {
    parts.category = ctx[1]!;
    parts.message = rest.slice(ctx[0].length);
  } else parts.message = rest.startsWith(': ') ? rest.slice(2) : rest; // SourceContext absent
  return parts;
}

/** The first line of a Serilog entry (console or file template), or undefined. */
export function parseSerilogLine(text: string): EnvelopeParts | undefined {
  if (text.charCodeAt(0) !== 91) return undefined;
  const file = FILE_RE.exec(text);
  if (file) {
    const parts: EnvelopeParts = { level: LEVELS[file[2]!], message: '' };
    const iso = parseIsoAt(file[1]!);
    if (iso) parts.timeMs = iso.ms;
    return withContext(parts, file[3]!);
  }
  const con = CONSOLE_RE.exec(text);
  return con ? withContext({ level: LEVELS[con[1]!], message: '' }, con[2]!) : undefined;
}

class SerilogParser implements LineParser {
  private readonly entry: PendingEntry;

  constructor(private readonly sink: ParseSink) {
    this.entry = new PendingEntry(sink);
  }

  line(text: string, lineNo: number): void {
    if (isBlank(text)) return;
    const parts = parseSerilogLine(text);
    if (parts) this.entry.start(parts, lineNo);
    else if (this.entry.isOpen) this.entry.add(text);
    else this.sink.unknown(lineNo, text);
  }

  end(): void {
    this.entry.flush();
  }
}

export const serilogImporter: Importer = {
  id: 'serilog',
  description: 'Serilog console `[HH:mm:ss INF] Ctx: msg` and file `[yyyy-MM-dd HH:mm:ss.fff zzz] [INF] Ctx: msg`',
  sniff(sample) {
    if (!sample.some((l) => parseSerilogLine(l) !== undefined)) return 0;
    // Exception lines belong to entries: count every line after the first entry as a match.
    let seen = false;
    return sniffShare(sample, 0.95, (l) => {
      if (parseSerilogLine(l)) seen = true;
      return seen;
    });
  },
  parse: (sink) => new SerilogParser(sink),
};
