/** Types of the flow report (`beatscope report flows`): plain JSON-serialisable data. */

/** Every kind of finding, in report order. The CLI's `--fail-on` takes a comma list of these. */
export const violationKinds = [
  // Per run, against the sequence definition (needs a code index).
  'missing-beat',
  'unexpected-event',
  'order-violation',
  'handler-mismatch',
  // Per run, from the log alone.
  'incomplete-run',
  'failed-run',
  'failed-beat',
  'handler-error',
  'beat-count-mismatch',
  // Per sequence or app, code against production (needs a code index).
  'drift',
  'never-run',
  'orphan-subscription',
  'unmounted-route',
] as const;

export type ViolationKind = (typeof violationKinds)[number];

/** The kinds that compare with the code and are skipped without a code index. */
export const codeViolationKinds: readonly ViolationKind[] = [
  'missing-beat',
  'unexpected-event',
  'order-violation',
  'handler-mismatch',
  'drift',
  'never-run',
  'orphan-subscription',
  'unmounted-route',
];

/** `error`: a run did not do what it should; `warning`: code and production disagree; `info`: worth a look. */
export type ViolationSeverity = 'error' | 'warning' | 'info';

export interface Violation {
  readonly kind: ViolationKind;
  readonly severity: ViolationSeverity;
  readonly message: string;
  readonly sequenceId: string | null;
  readonly sequenceName: string | null;
  readonly pluginId: string | null;
  /** Ids into the trace model for drill-down; null for sequence- or app-level findings. */
  readonly sessionId: string | null;
  readonly runId: string | null;
  readonly beatRunId: string | null;
  /** Beat number as defined (or as run when there is no definition). */
  readonly beat: number | null;
  readonly event: string | null;
  readonly handler: string | null;
}

/** How one sequence's runs conform to its definition. */
export interface SequenceFitness {
  readonly sequenceId: string | null;
  readonly sequenceName: string;
  readonly pluginId: string | null;
  /** A definition was found in the code index (by id, else by name). */
  readonly defined: boolean;
  /** Registered (mounted) in at least one session. */
  readonly mounted: boolean;
  readonly runs: number;
  /** Runs with no run-level violation and no drift. */
  readonly conformingRuns: number;
  /** conformingRuns / runs, 0..1; null when it never ran. */
  readonly fitness: number | null;
  /** Violations about this sequence, by kind (kinds with none left out). */
  readonly violations: Partial<Record<ViolationKind, number>>;
}

/** A beat as compared for drift. */
export interface DriftBeat {
  readonly beat: number | null;
  readonly event: string | null;
  readonly handler: string | null;
}

/** Systematic differences between what production ran and what the code defines now. */
export interface SequenceDrift {
  readonly sequenceId: string;
  readonly sequenceName: string;
  /** Defined now, executed by none of the completed runs. */
  readonly missingInRuns: readonly DriftBeat[];
  /** Executed by every completed run, not defined now. */
  readonly extraInRuns: readonly DriftBeat[];
  /** Defined event whose defined handler no run executed; `handler` is what ran instead. */
  readonly handlerChanged: readonly (DriftBeat & { readonly definedHandler: string })[];
  /** Completed runs compared. */
  readonly runs: number;
}

export interface FlowReport {
  /** Whether a code index was given; without it only log-only kinds are checked. */
  readonly codeIndex: boolean;
  /** Kinds not checked in this report (they need `--code`). */
  readonly unchecked: readonly ViolationKind[];
  readonly summary: {
    readonly sequenceRuns: number;
    readonly conformingRuns: number;
    /** conformingRuns / sequenceRuns, 0..1; null without runs. */
    readonly fitness: number | null;
    readonly sequencesDefined: number;
    readonly sequencesRun: number;
    readonly violations: number;
    /** Every kind, 0 when none. */
    readonly byKind: Readonly<Record<ViolationKind, number>>;
  };
  /** Defined and run sequences, worst fitness first. */
  readonly sequences: readonly SequenceFitness[];
  readonly drift: readonly SequenceDrift[];
  /** In violationKinds order; within a kind, sessions in time order, then log order. */
  readonly violations: readonly Violation[];
  readonly notes: readonly string[];
}

/** For `--fail-on`: true when the report has a violation of one of the kinds (CI then exits 1). */
export function failOn(report: FlowReport, kinds: readonly ViolationKind[]): boolean {
  return report.violations.some((v) => kinds.includes(v.kind));
}

/** Parses a `--fail-on` list; unknown names are returned apart so the CLI can exit 2 with a hint. */
export function parseViolationKinds(list: string): { kinds: ViolationKind[]; unknown: string[] } {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const known = (s: string): s is ViolationKind => (violationKinds as readonly string[]).includes(s);
  return { kinds: names.filter(known), unknown: names.filter((s) => !known(s)) };
}
