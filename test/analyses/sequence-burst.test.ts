/**
 * A sequence's error burst on logs of the real conductor: in one session, two handlers of
 * `control-panel-ui-render-symphony` fail in its consecutive runs — `generateFields` in the first two, `renderView`
 * in the third — so no handler fails often enough for a burst of its own, but the sequence failed in 3 runs in a
 * row, and nowhere else. The finding is the sequence's, names both handlers, and its counts are the trace's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFindings } from '../../src/analyses/findings/findings.js';
import type { FindingsReport } from '../../src/analyses/findings/findings-types.js';
import { type SimulatedTrace, simulatedTrace } from '../../src/bench/simulated-trace.js';
import { planSession } from '../../src/simulate/demo-scenario.js';
import { createRng } from '../../src/simulate/prng.js';

const SEED = 5;
const SESSION = 1;
const SEQUENCE = 'control-panel-ui-render-symphony';
const PLUGIN = 'ControlPanelPlugin';

let trace: SimulatedTrace;
let report: FindingsReport;
/** The session's plays of the sequence (play indexes), as simulate() plans them for this seed. */
let renders: number[];
beforeAll(async () => {
  // simulate() plans session i with createRng(seed + i * 7919).
  const plays = planSession(createRng(SEED + SESSION * 7919), SESSION);
  renders = plays.flatMap((p, i) => (p.sequenceId === SEQUENCE ? [i] : []));
  const window = (from: number, to: number) => ({ session: SESSION, fromPlay: renders[from]!, toPlay: renders[to]! });
  trace = await simulatedTrace({
    sessions: 4,
    seed: SEED,
    faults: {
      faults: [
        {
          kind: 'burst',
          pluginId: PLUGIN,
          handler: 'generateFields',
          rate: 1,
          message: 'Field {n} broke',
          ...window(0, 1),
        },
        {
          kind: 'burst',
          pluginId: PLUGIN,
          handler: 'renderView',
          rate: 1,
          message: 'View {id} broke',
          ...window(2, 2),
        },
      ],
    },
  });
  report = analyzeFindings({ data: trace.data, files: trace.files });
}, 120_000);

describe('a sequence failing in a burst through several handlers', () => {
  it('is one error-burst of the sequence, with the counts of the trace, and no handler burst', () => {
    expect(renders.length).toBeGreaterThanOrEqual(3);
    expect(trace.truth.faults!.faults.map((f) => f.affected)).toEqual([2, 1]);
    const bursts = report.findings.filter((f) => f.kind === 'error-burst');
    expect(bursts.map((f) => ({ handler: f.handler, sequence: f.sequence }))).toEqual([
      { handler: null, sequence: SEQUENCE },
    ]);
    const [burst] = bursts;
    const runs = trace.data.runs.filter((r) => r.sequenceId === SEQUENCE);
    const failing = new Set(trace.data.errors.filter((e) => e.pluginId === PLUGIN).map((e) => e.sequenceRunId));
    const inSession = runs.filter((r) => r.sessionId === burst!.sessions[0]);
    expect(burst!.count).toBe(3);
    expect(burst!.burst).toMatchObject({
      windowErrors: 3,
      windowExecutions: 3,
      elsewhereErrors: runs.filter((r) => failing.has(r.id)).length - 3,
      elsewhereExecutions: runs.length - 3,
    });
    expect(inSession.filter((r) => failing.has(r.id)).length).toBe(3);
    expect(burst!.burst!.pValue).toBeLessThan(0.005);
    expect(burst!.explanation).toContain('`generateFields (ControlPanelPlugin)` 2 times');
    expect(burst!.explanation).toContain('`renderView (ControlPanelPlugin)` 1 time');
    expect(burst!.evidence.map((e) => e.runId)).toEqual(inSession.filter((r) => failing.has(r.id)).map((r) => r.id));
  });
});
