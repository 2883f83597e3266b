/**
 * DataBaton lines classified from their bytes (the byte path, chrome-bytes.ts): a fifth of a typical console's
 * lines and the longest, so the grammar's two regular expressions, the icon strip and the captured strings'
 * copies were the largest share of classifying. The message is cut at the same markers `BATON` matches
 * (baton.ts), and the event is made by the same `batonEvent`, so both give the same event.
 *
 * Only the plain shape is read here: after the icon, `DataBaton: ` and ASCII text with each marker where the
 * regular expression's first try finds it. Anything else (non-ASCII text, `%c` styling or a CSS-like end that
 * `stripStyling` would cut, a marker out of place, a value ending in a tab) is left to the grammar
 * (undefined), which may still read it its own way.
 */
import type { TelemetryEvent } from '../../model/index.js';
import type { ByteNames } from '../byte-names.js';
import { batonEvent } from './baton.js';
import { ascii, find, runEnd, startsWith } from './byte-scan.js';

const PREFIX = ascii('DataBaton: ');
const SEQ = ascii(' | seq=');
const BEAT = ascii(' beat=');
const EVENT = ascii(' event=');
const HANDLER = ascii(' handler=');

/**
 * The DataBaton event of the plain text at `b[t, e)` (`textStart`, `isPlain`), or undefined to leave the line to the
 * grammar. `names` keeps the repeated values.
 */
export function batonFromBytes(b: Buffer, t: number, e: number, names: ByteNames): TelemetryEvent | undefined {
  if (!startsWith(b, t, e, PREFIX)) return undefined;
  const diffStart = t + PREFIX.length;
  const seqMark = find(b, SEQ, diffStart, e);
  if (seqMark < 0) return undefined;
  const seqStart = seqMark + SEQ.length;
  const beatMark = find(b, BEAT, seqStart, e);
  if (beatMark < 0) return undefined;
  const beatStart = beatMark + BEAT.length;
  const beatEnd = runEnd(b, beatStart, e);
  if (beatEnd === beatStart || !startsWith(b, beatEnd, e, EVENT)) return undefined;
  const eventStart = beatEnd + EVENT.length;
  const eventEnd = runEnd(b, eventStart, e);
  if (eventEnd === eventStart || !startsWith(b, eventEnd, e, HANDLER)) return undefined;
  const handlerStart = eventEnd + HANDLER.length;
  const handlerEnd = runEnd(b, handlerStart, e);
  if (handlerEnd === handlerStart) return undefined;
  return batonEvent(
    names.get(b, diffStart, seqMark),
    names.get(b, seqStart, beatMark),
    names.get(b, beatStart, beatEnd),
    names.get(b, eventStart, eventEnd),
    names.get(b, handlerStart, handlerEnd),
    b.toString('latin1', handlerEnd, e),
  );
}
