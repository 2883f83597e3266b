/**
 * .NET Microsoft.Extensions.Logging default ("simple") console formatter (docs/log-formats.md §1 E9, §5):
 *   `<lvl>: <Category>[<EventId>]` then the message on the following line(s), each indented 6 spaces;
 *   exception lines follow the message with the same indentation. lvl ∈ trce dbug info warn fail crit.
 * Also reads the `SingleLine = true` variant (`info: Cat[0] message`). Not read: the optional
 * TimestampFormat prefix, scopes, the JSON and systemd formatters. Emoji the Windows console could not
 * encode arrive as `?` and stay in the message. Lines outside any entry (MSBuild `warning NU1603`
 * output before the app starts) go to `sink.unknown`. The event id is not kept (LogRecord has no field).
 */
import type { LogLevel } from '../model/index.js';
import { type EnvelopeParts, isBlank, PendingEntry, sniffShare } from './envelope-helpers.js';
import type { Importer, LineParser, ParseSink } from './importer.js';

const HEADER_RE = /^(trce|dbug|info|warn|fail|crit): (.+?)\[(-?\d+)\](?: (.*))?$/;
const BODY_INDENT = '      ';

const LEVELS: Readonly<Record<string, LogLevel>> = {
  trce: 'debug',
  dbug: 'debug',
  info: 'info',
  warn: 'warn',
  fail: 'error',
  crit: 'error',
};

/** The header line of an entry (message empty unless single-line), or undefined. */
export function parseMelHeader(text: string): EnvelopeParts | undefined {
  const m = HEADER_RE.exec(text);
  if (!m) return undefined;
  return { level: LEVELS[m[1]!], category: m[2]!, message: m[4] ?? '' };
}

class MelParser implements LineParser {
  private readonly entry: PendingEntry;
  private bodyLines = 0;

  constructor(private readonly sink: ParseSink) {
    this.entry = new PendingEntry(sink);
  }

  line(text: string, lineNo: number): void {
    if (isBlank(text)) return;
    const header = parseMelHeader(text);
    if (header) {
      this.entry.start(header, lineNo);
      this.bodyLines = header.message === '' ? 0 : 1;
    } else if (this.entry.isOpen && text.startsWith(BODY_INDENT)) {
      this.entry.add(text.slice(BODY_INDENT.length), this.bodyLines++ === 0);
    } else {
      this.entry.flush();
      this.sink.unknown(lineNo, text);
    }
  }

  end(): void {
    this.entry.flush();
  }
}

export const dotnetMelConsoleImporter: Importer = {
  id: 'dotnet-mel-console',
  description: '.NET Microsoft.Extensions.Logging console: `info: Category[0]` + 6-space indented message',
  sniff(sample) {
    if (!sample.some((l) => HEADER_RE.test(l))) return 0;
    return sniffShare(sample, 0.95, (l) => HEADER_RE.test(l) || l.startsWith(BODY_INDENT));
  },
  parse: (sink) => new MelParser(sink),
};
