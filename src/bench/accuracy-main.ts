/**
 * `npm run bench` section `accuracy` (and `node dist/bench/accuracy-main.js`): precision and recall of each
 * finding kind against the simulator's ground truth, over seeds fixed here (never chosen after seeing results),
 * and false alarms on fault-free runs. The detectors were tuned on other seeds (1000 + 17 i); these never were.
 *   BEATSCOPE_ACCURACY_TRIALS  fault trials (default 6), BEATSCOPE_ACCURACY_SESSIONS sessions each (default 6)
 */
import { isDeepStrictEqual } from 'node:util';
import { precision, recall, runTrial, scoredKinds, type TrialResult, total, totalHints } from './findings-accuracy.js';

/**
 * The fault mix of every trial: 3 latency episodes, 2 new errors, 2 bursts, 2 errors with a cause (thrown only
 * after one sequence), 1 release that swaps two beats of a sequence, the last session fault-free.
 */
export function faultMix(sessions: number) {
  return { latency: 3, errors: 2, bursts: 2, causes: 2, reorders: 1, faultFreeSessions: [sessions - 1] };
}

/** Each fault trial's store is also read in this many parts, as `analyze` reads a large store (findings-parts.ts). */
const PARTS = 3;

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);

export async function accuracyTable(trials: number, sessions: number): Promise<string> {
  const results: TrialResult[] = [];
  for (let i = 0; i < trials; i++) {
    const seed = 3000 + 29 * i;
    results.push(await runTrial({ seed, sessions, faults: faultMix(sessions), inParts: PARTS }));
  }
  const clean: TrialResult[] = [];
  for (let i = 0; i < Math.max(1, Math.round(trials / 3)); i++) {
    clean.push(await runTrial({ seed: 6000 + 31 * i, sessions }));
  }
  const sum = total(results);
  const rows = scoredKinds.map((k) => {
    const s = sum[k];
    return `  ${k.padEnd(16)} ${pct(precision(s)).padStart(9)} ${`${s.truePositives}/${s.findings}`.padStart(7)}   ${pct(recall(s)).padStart(9)} ${`${s.found}/${s.injected}`.padStart(7)}   ${String(s.undetectable).padStart(12)}`;
  });
  const hints = totalHints(results);
  const alarms = [...clean, ...results].reduce((n, r) => n + r.falseAlarms.findings, 0);
  const handlers = [...clean, ...results].reduce((n, r) => n + r.falseAlarms.handlers, 0);
  return [
    `findings accuracy: ${trials} fault trials × ${sessions} sessions, ${clean.length} fault-free runs`,
    `  ${'kind'.padEnd(16)} ${'precision'.padStart(9)} ${''.padStart(7)}   ${'recall'.padStart(9)} ${''.padStart(7)}   undetectable`,
    ...rows,
    `  root-cause hints: the cause named for ${hints.found} of ${hints.caused} caused errors (${pct(hints.caused ? hints.found / hints.caused : null)}; ${hints.undetectable} undetectable), ${hints.falseHints} hints on ${hints.uncausedFindings} findings of random errors`,
    `  false alarms in fault-free sessions: ${alarms} over ${handlers} handlers executed there (${pct(handlers ? alarms / handlers : null)})`,
    `  read in ${PARTS} parts as a large store is: the same findings as read whole in ${results.filter(sameInParts).length} of ${results.length} trials`,
  ].join('\n');
}

/** Whether the trial's store read in parts gave the findings it gave read whole (the notes aside). */
function sameInParts(t: TrialResult): boolean {
  const { notes: _whole, ...whole } = t.report;
  const { notes: _parts, ...parts } = t.partsReport!;
  return isDeepStrictEqual(whole, parts);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const trials = Number(process.env['BEATSCOPE_ACCURACY_TRIALS'] ?? 6);
  const sessions = Number(process.env['BEATSCOPE_ACCURACY_SESSIONS'] ?? 6);
  accuracyTable(trials, sessions).then((t) => process.stdout.write(`${t}\n`));
}
