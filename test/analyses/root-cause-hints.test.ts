/**
 * Root-cause hints on logs of the real conductor: the demo app played with one error that has a cause (thrown only
 * in plays right after a play of `library-search-symphony`) and one that strikes at random. The caused error's
 * finding names the run before as the cause, with the counts read back from the trace here; the random one gets
 * no hint; the matrix counts the runs each signature failed in, per sequence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFindings } from '../../src/analyses/findings/findings.js';
import type { Finding, FindingsReport } from '../../src/analyses/findings/findings-types.js';
import { type SimulatedTrace, simulatedTrace } from '../../src/bench/simulated-trace.js';
import { indexCodebase } from '../../src/codebase/index.js';
import type { SequenceRun } from '../../src/model/entities.js';
import { demoAppDir } from '../../src/simulate/demo-app-dir.js';

const CAUSE = 'library-search-symphony';
const CAUSED = { pluginId: 'LibraryPlugin', handler: 'publishResults' };
const RANDOM = { pluginId: 'CanvasComponentPlugin', handler: 'notifyUi' };
const SESSIONS = 4;

let trace: SimulatedTrace;
let report: FindingsReport;
beforeAll(async () => {
  const sessions = Array.from({ length: SESSIONS }, (_, i) => i);
  trace = await simulatedTrace({
    sessions: SESSIONS,
    seed: 5,
    faults: {
      faults: [
        { kind: 'error', ...CAUSED, rate: 1, message: 'Stale revision {n} for {id}', sessions, after: CAUSE },
        { kind: 'error', ...RANDOM, rate: 0.4, message: 'Request {id} timed out after {n} ms', sessions },
      ],
    },
  });
  const { index: code } = await indexCodebase(demoAppDir());
  report = analyzeFindings({ data: trace.data, code, files: trace.files });
}, 120_000);

const findingOf = (h: { pluginId: string; handler: string }): Finding => {
  const found = report.findings.filter(
    (f) => f.kind === 'handler-error' && f.plugin === h.pluginId && f.handler === h.handler,
  );
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** The run before each run in its session, as logged. */
function previousRuns(runs: readonly SequenceRun[]): Map<string, SequenceRun | undefined> {
  const out = new Map<string, SequenceRun | undefined>();
  const last = new Map<string, SequenceRun>();
  for (const r of runs) {
    out.set(r.id, last.get(r.sessionId));
    last.set(r.sessionId, r);
  }
  return out;
}

describe('root-cause hints', () => {
  it('name the sequence that ran before every failing run, with the counts the trace holds', () => {
    const f = findingOf(CAUSED);
    const previous = previousRuns(trace.data.runs);
    const mine = (x: { handler: string; pluginId: string | null }) =>
      x.handler === CAUSED.handler && x.pluginId === CAUSED.pluginId;
    const failing = new Set(trace.data.errors.filter(mine).map((e) => e.sequenceRunId!));
    const executed = new Set(trace.data.handlerRuns.filter(mine).map((h) => h.sequenceRunId!));
    const succeeding = [...executed].filter((id) => !failing.has(id));
    const afterCause = (ids: Iterable<string>) =>
      [...ids].filter((id) => previous.get(id)?.sequenceId === CAUSE).length;
    expect(failing.size).toBeGreaterThanOrEqual(3);
    expect(succeeding.length).toBeGreaterThanOrEqual(3);

    const hint = f.hints?.find((h) => h.kind === 'previous-sequence');
    expect(hint).toMatchObject({
      value: CAUSE,
      failing: { with: failing.size, of: failing.size },
      succeeding: { with: afterCause(succeeding), of: succeeding.length },
    });
    // Every failing run came right after the cause (rate 1), and the hint is the finding's first.
    expect(afterCause(failing)).toBe(failing.size);
    expect(f.hints![0]!.kind).toBe('previous-sequence');
    expect(hint!.pValue).toBeLessThan(0.05);
    expect(f.explanation).toContain(`the run before it in the session was \`${CAUSE}\``);
  });

  it('give an error that strikes at random no hint', () => {
    const f = findingOf(RANDOM);
    expect(f.count).toBeGreaterThanOrEqual(3);
    expect(f.hints).toEqual([]);
  });

  it('count per sequence the runs each signature failed in, against the runs that executed the handler', () => {
    const m = report.errorMatrix;
    for (const h of [CAUSED, RANDOM]) {
      const f = findingOf(h);
      const row = m.rows.find((r) => r.findingId === f.id)!;
      const runs = new Map(trace.data.runs.map((r) => [r.id, r]));
      const perSequence = (ids: Iterable<string | null>) => {
        const out = new Map<string, Set<string>>();
        for (const id of ids) {
          const run = id ? runs.get(id) : undefined;
          if (!run) continue;
          const seq = run.sequenceId ?? run.sequenceName;
          out.set(seq, (out.get(seq) ?? new Set()).add(run.id));
        }
        return out;
      };
      const mine = (x: { handler: string; pluginId: string | null }) =>
        x.handler === h.handler && x.pluginId === h.pluginId;
      const failing = perSequence(trace.data.errors.filter(mine).map((e) => e.sequenceRunId));
      const ran = perSequence(trace.data.handlerRuns.filter(mine).map((x) => x.sequenceRunId));
      expect(m.sequences.map((s, i) => [s, row.cells[i]]).filter(([, c]) => c !== null)).toEqual(
        [...ran.keys()]
          .filter((s) => m.sequences.includes(s))
          .map((s) => [s, { failing: failing.get(s)?.size ?? 0, runs: ran.get(s)!.size }])
          .sort(([a], [b]) => m.sequences.indexOf(a as string) - m.sequences.indexOf(b as string)),
      );
    }
  });
});
