/**
 * The handler × error signature × sequence matrix of the Findings page: for each `handler-error` group and each
 * sequence it failed in, the runs of that sequence with the error against the runs of it that executed the
 * handler. A signature failing in every run of one sequence and none of another points at what the sequences do
 * differently; the root-cause hints (root-cause.ts) test such differences inside a sequence.
 */
import type { HandlerError, SequenceRun } from '../../model/entities.js';
import { compareStrings } from '../collections.js';
import { handlerKey } from '../handler-lookup.js';
import { type FindingContext, sequenceKey } from './finding-context.js';
import type { ErrorMatrix, Finding } from './findings-types.js';

/** Of one sequence: runs where the group's error was thrown, of the runs that executed its handler. */
export interface MatrixCell {
  failing: number;
  runs: number;
}

/**
 * One group's cells in a trace (or a part of a store: parts hold disjoint runs, so their cells add up), by sequence
 * (id, else name): the runs with one of `errors`, and the runs that executed the handler (or threw).
 */
export function matrixCells(
  ctx: FindingContext,
  handler: string,
  pluginId: string | null,
  errors: readonly HandlerError[],
): Map<string, MatrixCell> {
  const runOf = (id: string | null) => (id === null ? undefined : ctx.runs.get(id));
  const failing = runsBySequence(errors.map((e) => runOf(e.sequenceRunId)));
  const ran = runsBySequence([
    ...(ctx.executions.get(handlerKey(handler, pluginId)) ?? []).map((h) => runOf(h.sequenceRunId)),
    ...errors.map((e) => runOf(e.sequenceRunId)),
  ]);
  return new Map([...ran].map(([seq, runs]) => [seq, { failing: failing.get(seq)?.size ?? 0, runs: runs.size }]));
}

/** Adds `cells` into `into` (the cells of another part of the same group). */
export function addCells(into: Map<string, MatrixCell>, cells: ReadonlyMap<string, MatrixCell>): void {
  for (const [seq, c] of cells) {
    const sum = into.get(seq);
    if (sum) {
      sum.failing += c.failing;
      sum.runs += c.runs;
    } else into.set(seq, { ...c });
  }
}

export function errorMatrix(
  groups: readonly { readonly finding: Finding; readonly cells: ReadonlyMap<string, MatrixCell> }[],
): ErrorMatrix {
  const failingRuns = new Map<string, number>();
  for (const { cells } of groups)
    for (const [seq, c] of cells) if (c.failing > 0) failingRuns.set(seq, (failingRuns.get(seq) ?? 0) + c.failing);
  // Most failing runs first; ties by name, so the page is the same on every machine.
  const sequences = [...failingRuns].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0])).map(([s]) => s);
  return {
    sequences,
    rows: groups.map(({ finding, cells }) => ({
      findingId: finding.id,
      plugin: finding.plugin ?? '',
      handler: finding.handler ?? '',
      message: finding.message ?? finding.title,
      cells: sequences.map((s) => {
        const c = cells.get(s);
        return c === undefined || c.runs === 0 ? null : { failing: c.failing, runs: c.runs };
      }),
    })),
  };
}

/** Distinct run ids per sequence (id, else name); unknown runs left out. */
function runsBySequence(runs: readonly (SequenceRun | undefined)[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const run of runs) {
    if (!run) continue;
    const seq = sequenceKey(run);
    const set = out.get(seq) ?? new Set<string>();
    set.add(run.id);
    out.set(seq, set);
  }
  return out;
}
