/** Number formatting shared by the text and Markdown reporters. */

/** Milliseconds with up to two decimals (trailing zeros dropped), `–` when unknown. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return `${Number(value.toFixed(2))}`;
}

/** Milliseconds with the unit, for prose. */
export function msUnit(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${ms(value)} ms`;
}

/** A 0..1 share as a percentage with one decimal, `–` when unknown. */
export function pct(share: number | null | undefined): string {
  return share === null || share === undefined ? '–' : `${(share * 100).toFixed(1)} %`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `file:line`, or `–`. */
export function sourceRef(file: string | null, line: number | null): string {
  if (file === null) return '–';
  return line === null ? file : `${file}:${line}`;
}

/** A human bucket width: 850 ms, 12.5 s, 6 min 10 s, 1.5 h. */
export function duration(msValue: number): string {
  if (msValue < 1000) return `${Math.round(msValue)} ms`;
  if (msValue < 60_000) return `${Number((msValue / 1000).toFixed(1))} s`;
  if (msValue < 3_600_000) return `${Math.floor(msValue / 60_000)} min ${Math.round((msValue % 60_000) / 1000)} s`;
  return `${Number((msValue / 3_600_000).toFixed(1))} h`;
}
