/**
 * The grammar on bytes, for the byte path (chrome-bytes.ts): the most frequent framework lines — DataBaton
 * diffs (baton-bytes.ts) and four beat lines (beat-bytes.ts), about two thirds of a typical console — are cut
 * into their fields without a regular expression or a copy of what they capture, and give the grammar's own
 * event. Any other line, or one of these with another shape, gives undefined: the
 * grammar (classify.ts) reads its text.
 */
import type { TelemetryEvent } from '../../model/index.js';
import type { ByteNames } from '../byte-names.js';
import { batonFromBytes } from './baton-bytes.js';
import { beatLineFromBytes } from './beat-bytes.js';
import { isPlain } from './byte-scan.js';

/**
 * The event of the message whose text (after its icon: `textStart`) is `b[t, e)`, or undefined to leave it to
 * the grammar.
 */
export function classifyText(b: Buffer, t: number, e: number, names: ByteNames): TelemetryEvent | undefined {
  const first = b[t];
  // `DataBaton`, `MovementExecutor`, `PerformanceTracker`, `Beat…`: other lines skip the plain-text scan.
  if (first !== 68 && first !== 77 && first !== 80 && first !== 66) return undefined;
  if (!isPlain(b, t, e)) return undefined;
  return first === 68 ? batonFromBytes(b, t, e, names) : beatLineFromBytes(b, t, e, names);
}
