/**
 * The versioned JSON envelope every JSON reporter writes, and the options every reporter takes. Bump a report's
 * version when a field changes meaning or disappears; adding a field is not a breaking change.
 */
import pc from 'picocolors';

/** A report's JSON identity, declared by its definition (e.g. `{ schema: 'beatscope/heatmap', version: 2 }`). */
export interface SchemaId {
  readonly schema: string;
  readonly version: number;
}

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
  /**
   * JSON on one line, without indentation: the files `analyze` writes, read by tools (jq, CI). A million beat runs'
   * timeline is 15 MB indented (one number per line), 6 MB compact, and takes a third of the time to write.
   */
  readonly compact?: boolean;
}

export function envelope<R extends object>(id: SchemaId, report: R, options: RenderOptions = {}): Envelope<R> {
  const at = options.generatedAt ?? new Date();
  return {
    schema: id.schema,
    version: id.version,
    generatedAt: typeof at === 'string' ? at : at.toISOString(),
    ...report,
  };
}

export function renderEnvelope(id: SchemaId, report: object, options: RenderOptions = {}): string {
  return `${JSON.stringify(envelope(id, report, options), null, options.compact ? undefined : 2)}\n`;
}

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(options: RenderOptions): Colors {
  return pc.createColors(options.colors ?? pc.isColorSupported);
}

export const DEFAULT_LIMIT = 20;
