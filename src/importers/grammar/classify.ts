/**
 * The message grammar: turns the message of a `LogRecord` (any envelope) into a `TelemetryEvent`.
 * Rules are grouped by the first word of the icon-stripped message so each line is tried against a
 * handful of anchored regular expressions, not all of them.
 */
import type { LogRecord, TelemetryEvent } from '../../model/index.js';
import { batonRules } from './baton.js';
import { beatRules } from './beat-rules.js';
import { busRules } from './bus-rules.js';
import { hostRules } from './host-rules.js';
import { mountRules } from './mount-rules.js';
import type { Rule } from './rule.js';
import { sequenceRules } from './sequence-rules.js';
import { dispatchKey, stripIcon } from './text.js';

const RULES_BY_KEY = new Map<string, Rule[]>();
for (const r of [...batonRules, ...beatRules, ...sequenceRules, ...busRules, ...mountRules, ...hostRules]) {
  for (const key of r.keys) {
    const list = RULES_BY_KEY.get(key);
    if (list) list.push(r);
    else RULES_BY_KEY.set(key, [r]);
  }
}

/** The `(pluginId)` or `[JS]` prefixes hosts add before the framework text (.NET Jint host, §5). */
const JS_PREFIX = /^\[JS\] /;

export function classifyMessage(message: string, continuation?: readonly string[]): TelemetryEvent | undefined {
  let text = stripIcon(message);
  if (text.startsWith('[JS] ')) text = stripIcon(text.replace(JS_PREFIX, ''));
  const key = text.charCodeAt(0) === 123 ? '{' : dispatchKey(text);
  const rules = RULES_BY_KEY.get(key);
  if (rules === undefined) return undefined;
  for (const r of rules) {
    const m = r.re.exec(text);
    if (m) {
      for (let i = 1; i < m.length; i++) {
        const v = m[i];
        if (v !== undefined && v.length >= SLICE_MIN_CHARS) m[i] = detach(v);
      }
      return r.make(m, { continuation });
    }
  }
  return undefined;
}

/**
 * V8 returns a substring of 13 or more characters as a view of its parent, here the 32 KiB piece of
 * the file the line was decoded from. Entities keep captured names and ids until their run is written,
 * long enough for V8 to copy those pieces into its old generation: the whole decoded text was promoted
 * and collected there. A captured value is therefore replaced by a copy of its own, one per distinct
 * value while the pool lasts (names repeat; ids do not, and age out when it is cleared).
 */
const SLICE_MIN_CHARS = 13;
const POOL_LIMIT = 50_000;
const pool = new Map<string, string>();

function detach(value: string): string {
  let copy = pool.get(value);
  if (copy === undefined) {
    copy = `${value} `.slice(0, -1); // the concatenation is flattened into a new string, then cut
    if (pool.size >= POOL_LIMIT) pool.clear();
    pool.set(copy, copy);
  }
  return copy;
}

/**
 * Classifies a record; a warn- or error-level line that no rule knows still means something (a warning
 * or error of the app) and is kept as one.
 */
export function classifyRecord(record: LogRecord): TelemetryEvent | undefined {
  const event = classifyMessage(record.message, record.continuation);
  if (event !== undefined) return event;
  if (record.level === 'warn' || record.level === 'error') {
    const text = stripIcon(record.message);
    const colon = text.indexOf(': ');
    const component = colon > 0 && colon < 40 && !text.slice(0, colon).includes(' ') ? text.slice(0, colon) : undefined;
    return { kind: record.level === 'warn' ? 'warning' : 'error', component, text };
  }
  return undefined;
}
