/**
 * The versioned JSON envelope every JSON reporter writes, and the options every reporter takes. Bump a report's
 * version when a field changes meaning or disappears; adding a field is not a breaking change.
 */
import pc from 'picocolors';

export const reportSchemas = {
  heatmap: { schema: 'beatscope/heatmap', version: 1 },
  flows: { schema: 'beatscope/flows', version: 1 },
  coverage: { schema: 'beatscope/coverage', version: 1 },
  timeline: { schema: 'beatscope/timeline', version: 1 },
} as const;

export type SchemaName = keyof typeof reportSchemas;

export type Envelope<R> = {
  readonly schema: string;
  readonly version: number;
  /** ISO 8601 time the report was rendered. */
  readonly generatedAt: string;
} & R;

export interface RenderOptions {
  /** Colours in text output; default: picocolors' own detection (TTY and no NO_COLOR). */
  readonly colors?: boolean;
  /** Fixed render time, for reproducible output; default now. */
  readonly generatedAt?: Date | string;
  /** Rows per table in text and Markdown output; default 20. JSON always has everything. */
  readonly limit?: number;
}

export function envelope<R extends object>(name: SchemaName, report: R, options: RenderOptions = {}): Envelope<R> {
  const at = options.generatedAt ?? new Date();
  return { ...reportSchemas[name], generatedAt: typeof at === 'string' ? at : at.toISOString(), ...report };
}

export function renderEnvelope(name: SchemaName, report: object, options: RenderOptions = {}): string {
  return `${JSON.stringify(envelope(name, report, options), null, 2)}\n`;
}

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(options: RenderOptions): Colors {
  return pc.createColors(options.colors ?? pc.isColorSupported);
}

export const DEFAULT_LIMIT = 20;
