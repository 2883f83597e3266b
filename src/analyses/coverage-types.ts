/** Types of the coverage report (`beatscope report coverage`): plain JSON-serialisable data. */

/**
 * `used-tested`: ran in production and has a test; `used-untested`: ran but no test (the risk);
 * `tested-unused`: tested, never ran; `dead`: neither (a dead-code candidate).
 */
export type Quadrant = 'used-tested' | 'used-untested' | 'tested-unused' | 'dead';

export const quadrants: readonly Quadrant[] = ['used-tested', 'used-untested', 'tested-unused', 'dead'];

export interface HandlerCoverage {
  readonly handler: string;
  readonly pluginId: string | null;
  readonly quadrant: Quadrant;
  /** Handler runs in production (all sessions). */
  readonly executions: number;
  /** Of those, runs whose handler threw. */
  readonly errors: number;
  /** Share of all production handler executions, 0..1 (hot paths). */
  readonly share: number;
  /** Tests linked to the handler by the code index. */
  readonly tests: number;
  /** Distinct files of those tests, sorted. */
  readonly testFiles: readonly string[];
  /** Production executions when untested, else 0: the sort key of the report. */
  readonly risk: number;
  readonly sourceFile: string | null;
  readonly sourceLine: number | null;
  /** Ids of the sequences that name the handler, sorted. */
  readonly sequences: readonly string[];
}

export interface PluginCoverage {
  /** `(none)` groups handlers the index could not attribute to a plugin. */
  readonly pluginId: string;
  readonly defined: number;
  readonly used: number;
  readonly tested: number;
  readonly quadrants: Readonly<Record<Quadrant, number>>;
  readonly executions: number;
  /** Executions of untested handlers. */
  readonly untestedExecutions: number;
}

/** A handler that ran in production but that the code index does not define. */
export interface UnknownHandler {
  readonly handler: string;
  readonly pluginId: string | null;
  readonly executions: number;
}

export interface CoverageReport {
  readonly summary: {
    /** Handlers the code index defines. */
    readonly defined: number;
    /** Of those, ran in production / have a test. */
    readonly used: number;
    readonly tested: number;
    readonly quadrants: Readonly<Record<Quadrant, number>>;
    /** Production handler executions, including those of unknown handlers. */
    readonly executions: number;
    /** Executions of defined handlers without a test. */
    readonly untestedExecutions: number;
    /** used / defined, tested / defined, 0..1; null when nothing is defined. */
    readonly usedShare: number | null;
    readonly testedShare: number | null;
  };
  /** Every defined handler: highest risk first, then most executed, then by plugin and name. */
  readonly handlers: readonly HandlerCoverage[];
  /** Most executed handlers (top 10), defined or not. */
  readonly hotPaths: readonly UnknownHandler[];
  readonly plugins: readonly PluginCoverage[];
  /** Seen in production, not in the code index (renamed, deleted, or outside the indexed tree). */
  readonly unknownHandlers: readonly UnknownHandler[];
  readonly notes: readonly string[];
}
