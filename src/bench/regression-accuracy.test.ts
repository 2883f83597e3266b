/**
 * The comparison's accuracy bar, measured on the simulator with seeds fixed here before any result was seen:
 * an A/A pair (one release, two seeds) flags ≤ 2 % of the tested handlers, and an A/B pair whose chosen handlers
 * are 1.2×, 1.5× and 2× slower throughout (whole-run latency faults, in ground truth) flags none of the others,
 * at MIN_N timed executions per side. Eight sessions a release (fewer leave A/A under 10 testable handlers) take 1–3 min on two shared cores;
 * docs/regressions.md has the rates of larger runs and of github-action-benchmark's 2× rule.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type PairScore, playRelease, type Release, type Slowdown, scorePair } from './regression-accuracy.js';

const SESSIONS = 8;
const MIN_N = 15;
const FACTORS = [1.2, 1.5, 2];
/** Handlers every session plays several times (the canvas create and select flows, the control panel). */
const SLOWED: ReadonlyArray<readonly [string, string, number]> = [
  ['CanvasComponentPlugin', 'createNode', 1.2],
  ['CanvasComponentPlugin', 'registerInstance', 1.5],
  ['CanvasComponentPlugin', 'resolveTemplate', 2],
  ['CanvasComponentPlugin', 'notifySelectionChanged', 1.2],
  ['CanvasComponentPlugin', 'showSelectionOverlay', 1.5],
  ['CanvasComponentPlugin', 'routeSelectionRequest', 2],
  ['ControlPanelPlugin', 'generateFields', 1.2],
  ['ControlPanelPlugin', 'renderView', 1.5],
  ['LibraryComponentPlugin', 'onDragStart', 2],
];

let a: Release | undefined;
let aa: PairScore;
let ab: PairScore;
let slow: Slowdown[];
let truthFaults: number;
beforeAll(async () => {
  // The three releases play at the same time, one session process each, so they share the machine's load.
  // The slowed handlers are fixed from the demo scenario (those it plays most) rather than from release A.
  slow = SLOWED.map(([plugin, handler, factor]) => ({ plugin, handler, factor }));
  const [first, again, b] = await Promise.all([
    playRelease(4101, SESSIONS, [], 1),
    playRelease(4202, SESSIONS, [], 1),
    playRelease(4303, SESSIONS, slow, 1),
  ]);
  a = first;
  truthFaults = b.truth.faults?.faults.filter((f) => f.kind === 'latency' && f.affected > 0).length ?? 0;
  aa = scorePair(a.baseline, again.baseline, [], { minSamples: MIN_N }).score;
  ab = scorePair(a.baseline, b.baseline, slow, { minSamples: MIN_N }).score;
}, 240_000);

describe('compare on simulated releases', () => {
  it('slowed the chosen handlers in every session and recorded it in ground truth', () => {
    expect(slow.length).toBe(9);
    expect(new Set(slow.map((s) => s.factor))).toEqual(new Set(FACTORS));
    // One latency fault per handler and session; a handler a session never ran has none applied.
    expect(truthFaults).toBeGreaterThanOrEqual(slow.length);
  });

  it('A/A: at most 2 % of the tested handlers flagged', () => {
    expect(aa.tested).toBeGreaterThanOrEqual(10);
    expect(aa.falseFlags / aa.tested, JSON.stringify(aa)).toBeLessThanOrEqual(0.02);
  });

  it(`A/B: no handler that was left alone is flagged at n ≥ ${MIN_N}`, () => {
    // Recall is not asserted: at the ~24 executions per handler this test can afford on two shared cores it
    // ranged from 0 to 8 of 9 slowdowns across our runs, driven by the machine's load (docs/regressions.md
    // "Accuracy"). The ≥ 95 % bar is not met at this size; precision is what holds.
    expect(ab.shifts.filter((s) => s.n >= MIN_N).length).toBeGreaterThanOrEqual(6);
    expect(ab.falseFlags / ab.tested, JSON.stringify(ab)).toBeLessThanOrEqual(0.02);
  });
});
