/**
 * The four most frequent beat lines read from their bytes (the byte path), each as its rule in beat-rules.ts
 * reads it and made into the event by the same function:
 *   `MovementExecutor: Executing beat <n> (<i>/<total>)`, `Beat <n> Started: <title> (<event>)`,
 *   `PerformanceTracker: Beat <n> completed in <ms>ms`, `BeatExecutor: Beat <n> (<event>) completed in <ms>ms`.
 * Greedy groups are cut where the regular expression's only possible split is: the last ` (` before a final
 * parenthesis without parentheses inside, the last `) completed in <number>ms` at the end. Any other shape gives
 * undefined and the grammar reads the line.
 */
import type { TelemetryEvent } from '../../model/index.js';
import type { ByteNames } from '../byte-names.js';
import { beatComplete, beatExecuting, beatStart, beatTiming } from './beat-rules.js';
import { ascii, digitsEnd, isDigit, numberAt, startsWith } from './byte-scan.js';

const EXECUTING = ascii('MovementExecutor: Executing beat ');
const STARTED_BEAT = ascii('Beat ');
const STARTED = ascii(' Started: ');
const TIMING = ascii('PerformanceTracker: Beat ');
const COMPLETE = ascii('BeatExecutor: Beat ');
const COMPLETED_IN = ascii(' completed in ');
const CLOSE_COMPLETED_IN = ascii(') completed in ');

/** The event of one of the four lines at `b[t, e)` (plain text: `textStart`, `isPlain`), or undefined. */
export function beatLineFromBytes(b: Buffer, t: number, e: number, names: ByteNames): TelemetryEvent | undefined {
  if (startsWith(b, t, e, EXECUTING)) return executing(b, t + EXECUTING.length, e);
  if (startsWith(b, t, e, TIMING)) return timing(b, t + TIMING.length, e);
  if (startsWith(b, t, e, COMPLETE)) return complete(b, t + COMPLETE.length, e, names);
  if (startsWith(b, t, e, STARTED_BEAT)) return started(b, t + STARTED_BEAT.length, e, names);
  return undefined;
}

/** `<n> (<i>/<total>)` to the end. */
function executing(b: Buffer, i: number, e: number): TelemetryEvent | undefined {
  const beatEnd = digitsEnd(b, i, e);
  if (beatEnd === i || b[beatEnd] !== 32 || b[beatEnd + 1] !== 40 /* ( */) return undefined;
  const indexStart = beatEnd + 2;
  const indexEnd = digitsEnd(b, indexStart, e);
  if (indexEnd === indexStart || b[indexEnd] !== 47 /* / */) return undefined;
  const totalEnd = digitsEnd(b, indexEnd + 1, e);
  if (totalEnd === indexEnd + 1 || totalEnd !== e - 1 || b[totalEnd] !== 41 /* ) */) return undefined;
  return beatExecuting(numberAt(b, i, beatEnd), numberAt(b, indexStart, indexEnd), numberAt(b, indexEnd + 1, totalEnd));
}

/** `<n> completed in <ms>ms` to the end. */
function timing(b: Buffer, i: number, e: number): TelemetryEvent | undefined {
  const beatEnd = digitsEnd(b, i, e);
  if (beatEnd === i || !startsWith(b, beatEnd, e, COMPLETED_IN)) return undefined;
  const msStart = beatEnd + COMPLETED_IN.length;
  if (msNumberStart(b, e) !== msStart) return undefined;
  return beatTiming(numberAt(b, i, beatEnd), numberAt(b, msStart, e - 2));
}

/** `<n> (<event>) completed in <ms>ms` to the end; the event is everything up to the last `) completed in`. */
function complete(b: Buffer, i: number, e: number, names: ByteNames): TelemetryEvent | undefined {
  const beatEnd = digitsEnd(b, i, e);
  if (beatEnd === i || b[beatEnd] !== 32 || b[beatEnd + 1] !== 40 /* ( */) return undefined;
  const msStart = msNumberStart(b, e);
  const close = msStart - CLOSE_COMPLETED_IN.length;
  const eventStart = beatEnd + 2;
  if (msStart < 0 || close <= eventStart || !startsWith(b, close, e, CLOSE_COMPLETED_IN)) return undefined;
  return beatComplete(numberAt(b, i, beatEnd), names.get(b, eventStart, close), numberAt(b, msStart, e - 2));
}

/** `<n> Started: <title> (<event>)` to the end: the event in the last parentheses, none inside them. */
function started(b: Buffer, i: number, e: number, names: ByteNames): TelemetryEvent | undefined {
  const beatEnd = digitsEnd(b, i, e);
  if (beatEnd === i || !startsWith(b, beatEnd, e, STARTED) || b[e - 1] !== 41 /* ) */) return undefined;
  const titleStart = beatEnd + STARTED.length;
  let open = e - 2;
  while (open > titleStart && b[open] !== 40 && b[open] !== 41) open--;
  if (open <= titleStart || b[open] !== 40 || open === e - 2 || b[open - 1] !== 32) return undefined;
  return beatStart(numberAt(b, i, beatEnd), names.get(b, titleStart, open - 1), names.get(b, open + 1, e - 1));
}

/**
 * Where `<digits>[.<digits>]ms` ending the line starts (what `(\d+(?:\.\d+)?)ms$` takes), or -1.
 */
function msNumberStart(b: Buffer, e: number): number {
  if (b[e - 1] !== 115 /* s */ || b[e - 2] !== 109 /* m */) return -1;
  let i = e - 3;
  while (isDigit(b[i])) i--;
  if (i === e - 3) return -1;
  if (b[i] === 46 /* . */ && isDigit(b[i - 1])) {
    i--;
    while (isDigit(b[i])) i--;
  }
  return i + 1;
}
