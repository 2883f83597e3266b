/**
 * The handler × error signature × sequence matrix of the Findings page: for each `handler-error` group and each
 * sequence it failed in, the runs of that sequence with the error against the runs of it that executed the
 * handler. A signature failing in every run of one sequence and none of another points at what the sequences do
 * differently; the root-cause hints (root-cause.ts) test such differences inside a sequence.
 */
import type { HandlerError, SequenceRun } from '../../model/entities.js';
import { compareStrings } from '../collections.js';
import { handlerKey } from '../handler-lookup.js';
import type { FindingContext } from './finding-context.js';
import type { ErrorMatrix, Finding } from './findings-types.js';

export function errorMatrix(
  ctx: FindingContext,
  groups: readonly { readonly finding: Finding; readonly errors: readonly HandlerError[] }[],
): ErrorMatrix {
  const runOf = (id: string | null) => (id === null ? undefined : ctx.runs.get(id));
  const rows = groups.map(({ finding, errors }) => {
    const failing = runsBySequence(errors.map((e) => runOf(e.sequenceRunId)));
    const executions = ctx.executions.get(handlerKey(finding.handler ?? '', finding.plugin)) ?? [];
    const ran = runsBySequence([
      ...executions.map((h) => runOf(h.sequenceRunId)),
      ...errors.map((e) => runOf(e.sequenceRunId)),
    ]);
    return { finding, failing, ran };
  });
  const failingRuns = new Map<string, number>();
  for (const r of rows)
    for (const [seq, runs] of r.failing) failingRuns.set(seq, (failingRuns.get(seq) ?? 0) + runs.size);
  // Most failing runs first; ties by name, so the page is the same on every machine.
  const sequences = [...failingRuns].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0])).map(([s]) => s);
  return {
    sequences,
    rows: rows.map(({ finding, failing, ran }) => ({
      findingId: finding.id,
      plugin: finding.plugin ?? '',
      handler: finding.handler ?? '',
      message: finding.message ?? finding.title,
      cells: sequences.map((s) => {
        const runs = ran.get(s)?.size ?? 0;
        return runs === 0 ? null : { failing: failing.get(s)?.size ?? 0, runs };
      }),
    })),
  };
}

/** Distinct run ids per sequence (id, else name); unknown runs left out. */
function runsBySequence(runs: readonly (SequenceRun | undefined)[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const run of runs) {
    if (!run) continue;
    const seq = run.sequenceId ?? run.sequenceName;
    const set = out.get(seq) ?? new Set<string>();
    set.add(run.id);
    out.set(seq, set);
  }
  return out;
}
