/**
 * The trends bar, measured on the simulator with seeds fixed here before any result was seen: four handlers of the
 * demo app get 2× and 3× slower from a drawn session on (latency faults in every play of the later sessions,
 * recorded in ground truth). Every change point trends finds for them must sit within one session of the first
 * slowed one. Recall and false flags are measured, not held to a bar: on a shared 2-core host the session means
 * of an untouched handler scatter by ~0.5 in ln and the load drifts over minutes (docs/reports.md).
 * Sixteen sessions take 1–3 min.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { drawSteps, runTrendsTrial, type Step, type TrendsTrial } from './trends-accuracy.js';

const SESSIONS = 16;
let steps: Step[];
let trial: TrendsTrial;
beforeAll(async () => {
  steps = drawSteps([2, 2, 3, 3], SESSIONS, 5101);
  // normalize: the simulator's sessions run one after the other on a shared host whose load drifts over minutes
  // (a first run without it found six false change points at the sessions where another test started).
  trial = await runTrendsTrial(5102, SESSIONS, steps, { normalize: true });
}, 300_000);

describe('trends on simulated sessions with slowed handlers', () => {
  it('slowed the drawn handlers from their drawn session on, as ground truth records', () => {
    const latency = trial.truth.faults?.faults.filter((f) => f.kind === 'latency' && f.affected > 0) ?? [];
    for (const step of steps) {
      const sessions = latency
        .filter((f) => f.pluginId === step.plugin && f.handler === step.handler)
        .map((f) => (f.kind === 'latency' ? f.session : -1));
      expect(Math.min(...sessions), step.handler).toBe(step.fromSession);
    }
  });

  it('locates every change point it finds for a slowed handler within one session of the truth', () => {
    // Recall is not asserted: the first run without normalize found 1 of the 2 3× steps; at 16 sessions a 3× step
    // on a ~15 ms handler is about 2 standard deviations of the session scatter (docs/reports.md has the rates).
    for (const s of trial.score.steps.filter((x) => x.foundAt !== null))
      expect(s.located, JSON.stringify(s)).toBe(true);
  });

  it('tests the handlers the demo plays in most sessions, and counts what it flags on the others', () => {
    // Not held to the ≤ 2 % bar of compare's A/A pairs: runs of this trial flagged 0, 1 (resolveDeletion 69 %
    // faster from session 3: 2.9 %) and, before normalize took the drifting host load out, 6 of 34 handlers left
    // alone. docs/reports.md has the rates; `npm run bench` (section trends) prints them beside the 2× rule.
    expect(trial.score.handlersTested).toBeGreaterThanOrEqual(20);
    expect(trial.score.falseHandlers).toBe(
      new Set(
        trial.report.changePoints
          .filter(
            (c) => c.plugin !== '(all plugins)' && !steps.some((x) => x.plugin === c.plugin && x.handler === c.handler),
          )
          .map((c) => `${c.plugin}.${c.handler}`),
      ).size,
    );
  });
});
