/**
 * DataBaton lines (docs/log-formats.md §3.4): `DataBaton: <diff> | seq=<name> beat=<n|?> event=<e> handler=<h|?>`
 * then, on the "changes" variant only, ` plugin=<id> req=<requestId> preview=<json cut at 200 chars>`.
 * `seq=` values contain spaces, so fields are cut at the next ` <key>=` marker, not at spaces.
 */
import type { BatonChange, TelemetryEvent } from '../../model/index.js';
import { type Rule, rule } from './rule.js';

const NO_CHANGE: BatonChange = { added: [], updated: [], removed: [] };

/** `+a,b ~c -d` → {added:[a,b], updated:[c], removed:[d]}; `No changes` → empty. */
export function parseBatonDiff(diff: string): BatonChange {
  if (diff === 'No changes') return NO_CHANGE;
  const added: string[] = [];
  const updated: string[] = [];
  const removed: string[] = [];
  for (const group of diff.split(' ')) {
    const keys = group.slice(1).split(',').filter(Boolean);
    if (group.startsWith('+')) added.push(...keys);
    else if (group.startsWith('~')) updated.push(...keys);
    else if (group.startsWith('-')) removed.push(...keys);
  }
  return { added, updated, removed };
}

/** Diffs already parsed, by their text: a console repeats a few dozen; changes are read-only, so one is shared. */
const CHANGES = new Map<string, BatonChange>();
const CHANGES_LIMIT = 10_000;

function changeOf(diff: string): BatonChange {
  let change = CHANGES.get(diff);
  if (change === undefined) {
    change = parseBatonDiff(diff);
    if (CHANGES.size >= CHANGES_LIMIT) CHANGES.clear();
    CHANGES.set(diff, change);
  }
  return change;
}

const BATON = /^DataBaton: (.*?) \| seq=(.*?) beat=(\S+) event=(\S+) handler=(\S+)(.*)$/;
const TAIL = /^(?: plugin=(\S+))?(?: req=(\S+))?(?: preview=(.*))?$/;

/**
 * The event of a DataBaton line from the parts `BATON` cuts it into (`rest`: everything after the handler):
 * shared by the grammar and the byte path (baton-bytes.ts), so both give the same event.
 */
export function batonEvent(
  diff: string,
  sequence: string,
  beatText: string,
  event: string,
  handlerText: string,
  rest: string,
): TelemetryEvent {
  const tail = TAIL.exec(rest) ?? [];
  const handler = handlerText === '?' ? undefined : handlerText;
  const beat = beatText === '?' ? undefined : Number(beatText);
  return {
    kind: 'baton',
    level: handler === undefined ? 'beat' : 'handler',
    change: changeOf(diff),
    sequence,
    beat,
    event,
    handler,
    pluginId: tail[1] === '?' ? undefined : tail[1],
    requestId: tail[2],
    preview: tail[3],
  };
}

const make = (m: RegExpExecArray) => batonEvent(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!);

export const batonRules: readonly Rule[] = [rule('DataBaton', BATON, make)];
