/**
 * Finds the captured sequence run a replay starts from: the id is a sequence-run id, a request id, a sequence id
 * or a sequence name. Exactly one run must match; none or several is an input error that lists what would match.
 */
import type { SequenceRun } from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

/** Input a replay cannot start from (no such run, several runs, an app without catalogs); `candidates` lists what the user can pass or fix (at most 20). */
export class ReplayInputError extends Error {
  constructor(
    message: string,
    readonly candidates: readonly string[],
    /** What to run or check next, when the candidates alone do not say it. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ReplayInputError';
  }
}

const SHOWN = 20;

export async function findCapture(store: TelemetryStore, id: string): Promise<SequenceRun> {
  const runs = await store.entities('sequence-run');
  const byRunId = runs.filter((r) => r.id === id);
  if (byRunId.length === 1) return byRunId[0]!;
  const byRequest = runs.filter((r) => r.requestId === id);
  if (byRequest.length === 1) return byRequest[0]!;
  const bySequence =
    byRequest.length > 0 ? byRequest : runs.filter((r) => r.sequenceId === id || r.sequenceName === id);
  if (bySequence.length === 1) return bySequence[0]!;
  if (bySequence.length > 1) {
    throw new ReplayInputError(
      `${bySequence.length} captured runs match "${id}"; pass one run id or request id`,
      bySequence.slice(0, SHOWN).map(describeRun),
    );
  }
  const sequences = [...new Set(runs.map((r) => r.sequenceId ?? r.sequenceName).filter((s) => s !== ''))].sort();
  throw new ReplayInputError(
    runs.length === 0
      ? `no captured sequence runs in the store to match "${id}"`
      : `no captured run matches "${id}" (a sequence-run id, request id, sequence id or sequence name)`,
    sequences.slice(0, SHOWN),
  );
}

/** `<run id>  <sequence id>  <start ISO>  <status>  req=<request id>`: one candidate line. */
export function describeRun(run: SequenceRun): string {
  const start = run.startMs === null ? '?' : new Date(run.startMs).toISOString();
  return `${run.id}  ${run.sequenceId ?? run.sequenceName}  ${start}  ${run.status}  req=${run.requestId ?? '?'}`;
}
