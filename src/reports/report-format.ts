/** Number formatting shared by the text and Markdown reporters; milliseconds by the model's one formatter. */
import { formatMs, MISSING, msDigits } from '../model/format-ms.js';

/** Milliseconds as a bare number (columns headed in ms): up to two decimals, `—` when unknown. */
export const ms = msDigits;

/** Milliseconds with the unit, for prose: the same text as the HTML pages and the timeline. */
export const msUnit = formatMs;

/** A 0..1 share as a percentage with one decimal, `—` when unknown. */
export function pct(share: number | null | undefined): string {
  return share === null || share === undefined ? MISSING : `${(share * 100).toFixed(1)} %`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 run`, `1,204 runs`: the findings' phrase builder, which reports share. */
export { plural as counted } from '../analyses/findings/finding-text.js';

/** `file:line`, or `—`. */
export function sourceRef(file: string | null, line: number | null): string {
  if (file === null) return MISSING;
  return line === null ? file : `${file}:${line}`;
}

/** A human span or bucket width: 850 ms, 12.5 s, 6 min 10 s, 10 min, 1.5 h. Rounded once, so never `9 min 60 s`. */
export function duration(msValue: number): string {
  if (msValue < 999.5) return `${Math.round(msValue)} ms`;
  if (msValue < 59_950) return `${Number((msValue / 1000).toFixed(1))} s`;
  const seconds = Math.round(msValue / 1000);
  if (seconds < 3600)
    return seconds % 60 === 0 ? `${seconds / 60} min` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Number((msValue / 3_600_000).toFixed(1))} h`;
}

/**
 * Orchestration overhead for prose: its time and share of beat time, or `unknown` when no beat had a timed
 * handler to subtract (its time is then 0 by construction, not measured).
 */
export function overheadText(s: { readonly overheadTime: number; readonly overheadShare: number | null }): string {
  if (s.overheadShare === null) return 'unknown (no beat has a timed handler)';
  return `${msUnit(s.overheadTime)} (${pct(s.overheadShare)} of beat time where known)`;
}
