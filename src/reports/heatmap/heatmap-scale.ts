/**
 * The one p95 colour scale of every heatmap output (terminal, Markdown, HTML), in absolute milliseconds so a
 * colour means the same in every report and every run: under one 60 fps frame is fast; a handler over
 * 100 ms is felt by users.
 */

export type HeatLevel = 'fast' | 'moderate' | 'slow' | 'very-slow';

export interface HeatStep {
  readonly level: HeatLevel;
  readonly label: string;
  /** Exclusive upper bound, ms; null for the last step. */
  readonly belowMs: number | null;
  /** picocolors colour name and a glyph that tells the level apart without colour. */
  readonly color: 'green' | 'yellow' | 'magenta' | 'red';
  readonly glyph: string;
  /** For Markdown, where there is no colour. */
  readonly emoji: string;
  /** HTML background, and the text colour readable on it. */
  readonly css: string;
  readonly cssText: string;
}

export const heatScale: readonly HeatStep[] = [
  {
    level: 'fast',
    label: '< 16 ms',
    belowMs: 16,
    color: 'green',
    glyph: '░',
    emoji: '🟢',
    css: '#c7e9c0',
    cssText: '#1f2933',
  },
  {
    level: 'moderate',
    label: '16–50 ms',
    belowMs: 50,
    color: 'yellow',
    glyph: '▒',
    emoji: '🟡',
    css: '#fee391',
    cssText: '#1f2933',
  },
  {
    level: 'slow',
    label: '50–100 ms',
    belowMs: 100,
    color: 'magenta',
    glyph: '▓',
    emoji: '🟠',
    css: '#fe9929',
    cssText: '#1f2933',
  },
  {
    level: 'very-slow',
    label: '≥ 100 ms',
    belowMs: null,
    color: 'red',
    glyph: '█',
    emoji: '🔴',
    css: '#b91c1c',
    cssText: '#fff',
  },
];

export function heatStep(p95Ms: number): HeatStep {
  return heatScale.find((s) => s.belowMs === null || p95Ms < s.belowMs)!;
}
