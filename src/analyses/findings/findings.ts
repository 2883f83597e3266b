/**
 * The findings analysis: what is wrong in production and where in the code to look. Runs each finder on the
 * trace (handler errors, error bursts, latency anomalies, the flow validator's violations), gives each finding a
 * stable id, hides the suppressed ones and orders the rest: errors first, then by kind, then most frequent.
 */
import type { CodeIndex } from '../../model/code-index.js';
import type { FileInfo } from '../../model/file-info.js';
import { compareStrings } from '../collections.js';
import type { FlowReport } from '../flow-types.js';
import { validateFlowsOnce } from '../flow-validation.js';
import type { TraceData } from '../trace-data.js';
import { type FindingContext, findingContext } from './finding-context.js';
import { type FindingsParts, windowFindings } from './findings-parts.js';
import {
  type ErrorMatrix,
  type Finding,
  type FindingKind,
  type FindingSeverity,
  type FindingsReport,
  findingKinds,
  findingSeverities,
  type Suppression,
} from './findings-types.js';
import { flowFindings } from './flow-findings.js';
import { handlerErrorFindings, type WholeStoreErrors } from './handler-errors.js';
import { runsPerSequence, sequenceBurstFindings } from './sequence-bursts.js';

export interface FindingsInput {
  readonly data: TraceData;
  readonly code?: CodeIndex;
  /** Ingested files, to name each finding's log files; without them `logFile` is null. */
  readonly files?: readonly FileInfo[];
  /** Ids to hide (`.beatscope/suppressions.json`). */
  readonly suppressions?: readonly Suppression[];
  /** The flow report when already computed (analyze computes it once for both reports). */
  readonly flows?: FlowReport;
  /**
   * A store too large to hold, read part by part (findings-parts.ts): `data` then holds its small kinds (sessions,
   * mounts, handler errors …), `flows` its flows report, `wholeStore` its handler errors and handler-run counts,
   * and `parts` what each part said. `storeBeatRuns` sizes the note.
   */
  readonly parts?: FindingsParts;
  readonly wholeStore?: WholeStoreErrors;
  readonly storeBeatRuns?: number;
}

export function analyzeFindings(input: FindingsInput): FindingsReport {
  const { data, code, parts } = input;
  // Read part by part, the context holds the runs and beats that errors and violations name, not every run.
  const ctx = findingContext(
    parts ? { ...data, runs: parts.runs, beats: parts.beats, handlerRuns: [] } : data,
    code,
    input.files ?? [],
  );
  const errors = handlerErrorFindings(ctx, input.wholeStore, parts?.errorGroups);
  const { windows, sequenceBursts } = parts ?? windowsOf(ctx);
  const all = [
    ...errors.findings,
    ...windows,
    ...sequenceBurstFindings(ctx, sequenceBursts),
    ...flowFindings(ctx, input.flows ?? validateFlowsOnce(data, code), runsPerSequence(sequenceBursts)),
  ];
  const reasons = new Map((input.suppressions ?? []).map((s) => [s.id, s.reason]));
  const findings = all.filter((f) => !reasons.has(f.id)).sort(byImportance);
  const suppressed = all
    .filter((f) => reasons.has(f.id))
    .sort(byImportance)
    .map((f) => ({ id: f.id, kind: f.kind, title: f.title, reason: reasons.get(f.id)! }));
  const bySeverity = Object.fromEntries(findingSeverities.map((s) => [s, 0])) as Record<FindingSeverity, number>;
  const byKind: Partial<Record<FindingKind, number>> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  }
  const handlerRuns = parts?.handlerRuns ?? data.handlerRuns.length;
  const timedHandlerRuns = parts?.timedHandlerRuns ?? data.handlerRuns.filter((h) => h.durationMs !== null).length;
  const sequenceRuns = parts?.sequenceRuns ?? data.runs.length;
  const notes: string[] = [];
  if (data.sessions.length === 0)
    notes.push('The store holds no sessions: ingest logs first (`beatscope ingest <logs>`).');
  else if (sequenceRuns === 0) notes.push('The logs hold no sequence runs, so no handler or flow could be checked.');
  if (parts) notes.push(partsNote(parts, input.storeBeatRuns));
  if (!code) {
    notes.push(
      'No code index: findings carry no file:line and definition-based kinds (missing beats, drift …) are not checked; run `beatscope index <repo>`.',
    );
  }
  if (handlerRuns > 0 && timedHandlerRuns === 0) {
    notes.push('No handler execution is timed in these logs (no timestamps), so latency anomalies cannot be checked.');
  }
  notes.push(...errors.notes);
  return {
    findings,
    suppressed,
    errorMatrix: matrixInFindingsOrder(errors.matrix, findings),
    codeIndex: code !== undefined,
    root: code?.root ?? null,
    summary: {
      total: findings.length,
      bySeverity,
      byKind,
      handlerRuns,
      sequenceRuns,
    },
    notes,
  };
}

/** How a store too large to hold was read (findings-parts.ts). */
function partsNote(parts: FindingsParts, storeBeatRuns: number | undefined): string {
  const kinds = '(no error, failed run, located flow violation or stretch of slow executions)';
  const read =
    parts.quietParts === parts.parts
      ? `split it into ${parts.parts} parts, cut between sessions where they can be; none holds anything to judge ${kinds}, so none was read again.`
      : `read it in ${parts.parts} parts of at most ${parts.largestPart.toLocaleString('en-US')} beat runs, cut between sessions where they can be, and judge each part against the whole store${parts.quietParts > 0 ? `; ${parts.quietParts} of them hold nothing to judge ${kinds} and were not read again` : ''}.`;
  return `The store holds ${storeBeatRuns?.toLocaleString('en-US') ?? 'more'} beat runs, more than one pass holds: these findings ${read}`;
}

/** The window findings of a trace held whole, as the parts of a store give them (findings-parts.ts). */
function windowsOf(ctx: FindingContext): Pick<FindingsParts, 'windows' | 'sequenceBursts'> {
  const found = windowFindings(ctx);
  return { windows: found.findings, sequenceBursts: [found.sequenceBursts] };
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, note: 2 };

function byImportance(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    findingKinds.indexOf(a.kind) - findingKinds.indexOf(b.kind) ||
    b.count - a.count ||
    compareStrings(a.id, b.id)
  );
}

/** `--fail-on`: true when a finding has one of these severities (`error` also matches nothing less) or kinds. */
export function findingsFail(report: FindingsReport, selectors: readonly string[]): boolean {
  return report.findings.some(
    (f) =>
      selectors.includes(f.kind) ||
      selectors.some(
        (s) =>
          (findingSeverities as readonly string[]).includes(s) &&
          SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[s as FindingSeverity],
      ),
  );
}

/** The matrix's rows of the findings shown (suppressed ones left out), in the findings' order. */
function matrixInFindingsOrder(matrix: ErrorMatrix, findings: readonly Finding[]): ErrorMatrix {
  const order = new Map(findings.map((f, i) => [f.id, i]));
  const rows = matrix.rows.filter((r) => order.has(r.findingId));
  return { ...matrix, rows: rows.sort((a, b) => order.get(a.findingId)! - order.get(b.findingId)!) };
}
