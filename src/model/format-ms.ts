/**
 * The one millisecond formatter of every output (terminal, Markdown, JSON-adjacent prose, HTML pages and the
 * timeline client), so a p95 reads the same everywhere. Pure: the browser client imports it from the model.
 */

/** Every output's mark for a value that is unknown (never `0` standing in for it). */
export const MISSING = '—';

/** A millisecond value as a bare number with up to two decimals, trailing zeros dropped (`12.07`, `9`, `0.5`). */
export function msDigits(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return `${Number(value.toFixed(2))}`;
}

/**
 * A duration with its unit: `12.07 ms` below a second, `1.23 s` below a minute, then `2.5 min`. Same digits rule
 * as `msDigits` (up to two decimals, trailing zeros dropped); `MISSING` when unknown.
 */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const abs = Math.abs(value);
  if (abs >= 60_000) return `${Number((value / 60_000).toFixed(1))} min`;
  if (abs >= 1000) return `${Number((value / 1000).toFixed(2))} s`;
  return `${msDigits(value)} ms`;
}
