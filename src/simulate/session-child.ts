// One simulated app start, in its own process (the conductor is a process-wide singleton). Receives a
// SessionPlan over IPC, writes the captured console as a Chrome saved log, replies with a SessionReport.
// Only capture modules are imported statically: the console must be wrapped before the conductor loads.

import { writeFileSync } from 'node:fs';
import { installConsoleCapture } from './console-capture.js';
import { answerParent } from './fork-child.js';
import { createRng } from './prng.js';
import type { SessionPlan, SessionReport } from './session-plan.js';
import { warmSourceMaps } from './source-map-warmup.js';
import { createVirtualClock, installVirtualDate } from './virtual-clock.js';

/** The console must be quiet this long (ms) before a play counts as settled: async handlers log late. */
const QUIET_MS = 40;
/** Give up waiting for completions after this long (ms) of real time. */
const SETTLE_TIMEOUT_MS = 10_000;
const FINISHED = /^(✅ SequenceExecutor: Sequence ".*" completed in|❌ SequenceExecutor: Sequence ".*" failed)/;

async function runSession(plan: SessionPlan): Promise<SessionReport> {
  process.setSourceMapsEnabled(true);
  const clock = createVirtualClock(plan.startEpochMs);
  const RealDate = installVirtualDate(clock);
  const rng = createRng(plan.seed);
  Math.random = rng.next;
  const capture = installConsoleCapture(() => new RealDate(clock.nowMs()).toISOString());
  let finished = 0;
  let lastLineAt = performance.now();
  capture.onMessage((message) => {
    lastLineAt = performance.now();
    if (FINISHED.test(message)) finished++;
  });

  try {
    const { initializeCommunicationSystem } = await import('musical-conductor');
    warmSourceMaps(import.meta.resolve('musical-conductor'));
    const { conductor } = initializeCommunicationSystem();
    const { mountApp } = await import('./app-loader.js');
    const { createFaultWrapper } = await import('./fault-wrapper.js');
    const faults = createFaultWrapper(plan.faults);
    const swappedBeats = (plan.faults?.faults ?? []).flatMap(({ fault }) => (fault.kind === 'reorder' ? [fault] : []));
    const app = await mountApp(
      plan.appDir,
      conductor as never,
      { staleBeats: plan.staleBeats, swappedBeats },
      faults.wrap,
    );

    let issued = 0;
    let unsettled = 0;
    const settle = async () => {
      const started = performance.now();
      while (finished < issued || performance.now() - lastLineAt < QUIET_MS || faults.pending() > 0) {
        if (performance.now() - started > SETTLE_TIMEOUT_MS) {
          unsettled = issued - finished;
          return;
        }
        await sleep(5);
      }
    };
    await settle();
    for (const [index, play] of plan.plays.entries()) {
      if (play.realGapMs > 0) await sleep(play.realGapMs);
      if (finished >= issued) clock.advance(play.thinkMs);
      issued += 1 + play.nested.length;
      faults.setPlay(index, play.sequenceId);
      void conductor.play(play.pluginId, play.sequenceId, play.payload);
      if (play.wait === 'settle') await settle();
    }
    await settle();
    return { ...app, lineCount: capture.lines.length, unsettled, faultsApplied: faults.applied() };
  } finally {
    capture.restore();
    writeFileSync(plan.logFile, `${capture.lines.join('\n')}\n`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

answerParent(runSession);
