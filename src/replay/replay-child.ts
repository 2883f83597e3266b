// One replay, in its own process (the conductor is a process-wide singleton and app modules keep state): mounts
// the app the way the simulator does, plays one sequence with an empty payload whose missing keys are served
// from the capture's DataBaton previews when a handler reads them, and writes the console like a Chrome saved log.
// Only capture modules are imported statically: the console must be wrapped before the conductor loads.

import { writeFileSync } from 'node:fs';
import { installConsoleCapture } from '../simulate/console-capture.js';
import { answerParent } from '../simulate/fork-child.js';
import { createRng } from '../simulate/prng.js';
import { warmSourceMaps } from '../simulate/source-map-warmup.js';
import { createVirtualClock, installVirtualDate } from '../simulate/virtual-clock.js';
import { installBrowserGlobals, runWatched } from './browser-env.js';
import type { InputRead, ReplayChildReport, ReplayPlan, StubbedHandler } from './replay-plan.js';

/** The console must be quiet this long (ms) after the play finished: async handlers and nested plays log late. */
const QUIET_MS = 150;
/** Give up waiting after this long (ms) of real time. */
const SETTLE_TIMEOUT_MS = 15_000;
const FINISHED = /^(✅ SequenceExecutor: Sequence ".*" completed in|❌ SequenceExecutor: Sequence ".*" failed)/;

type Handler = (this: unknown, data: unknown, ctx: unknown) => unknown;

async function runReplay(plan: ReplayPlan): Promise<ReplayChildReport> {
  process.setSourceMapsEnabled(true);
  installBrowserGlobals();
  const clock = createVirtualClock(plan.startEpochMs);
  const RealDate = installVirtualDate(clock);
  Math.random = createRng(plan.seed).next;
  const capture = installConsoleCapture(() => new RealDate(clock.nowMs()).toISOString());
  let finished = 0;
  let lastLineAt = performance.now();
  capture.onMessage((message) => {
    lastLineAt = performance.now();
    if (FINISHED.test(message)) finished++;
  });

  const loadProblems: string[] = [];
  const reads = new Map<string, InputRead>();
  let target: { pluginId: string; sequenceId: string } | null = null;
  const candidates = new Map(plan.candidates.map((c) => [c.key, c.value]));

  /** Event data of the replayed run's beats answers missing keys from the candidates, and records each read. */
  const observe = (data: unknown, pluginId: string, handler: string): unknown => {
    const requestId = (data as { _musicalContext?: { execution?: { requestId?: string } } } | null)?._musicalContext
      ?.execution?.requestId;
    if (!target || typeof data !== 'object' || data === null || !requestId?.startsWith(`${target.sequenceId}-`)) {
      return data;
    }
    const missing = (object: object, key: string | symbol): key is string =>
      typeof key === 'string' && !key.startsWith('_') && !(key in object);
    const note = (key: string) => {
      const reconstructed = candidates.has(key);
      reads.set(`${pluginId}.${handler}.${key}`, { key, pluginId, handler, reconstructed });
      return reconstructed ? structuredClone(candidates.get(key)) : undefined;
    };
    return new Proxy(data, {
      get: (object, key, receiver) => (missing(object, key) ? note(key) : Reflect.get(object, key, receiver)),
      has: (object, key) => (missing(object, key) ? note(key) !== undefined : Reflect.has(object, key)),
    });
  };
  const stubbed = new Set((plan.stubs ?? []).map((s) => `${s.plugin}.${s.handler}`));
  const browserFailures = new Map<string, StubbedHandler>();
  const wrap = (pluginId: string, handlers: unknown): unknown => {
    if (typeof handlers !== 'object' || handlers === null) return handlers;
    const out: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(handlers)) {
      if (typeof fn !== 'function') {
        out[name] = fn;
      } else if (stubbed.has(`${pluginId}.${name}`)) {
        // A no-op: the conductor still runs and logs the beat, without the handler's DataBaton changes.
        out[name] = () => undefined;
      } else {
        out[name] = function (this: unknown, data: unknown, ctx: unknown) {
          return runWatched(
            () => (fn as Handler).call(this, observe(data, pluginId, name), ctx),
            (reason) => {
              const id = `${pluginId}.${name}`;
              if (!browserFailures.has(id)) browserFailures.set(id, { plugin: pluginId, handler: name, reason });
            },
          );
        };
      }
    }
    return out;
  };

  let unsettled = false;
  const settle = async (played: boolean) => {
    const started = performance.now();
    while ((played && finished === 0) || performance.now() - lastLineAt < QUIET_MS) {
      if (performance.now() - started > SETTLE_TIMEOUT_MS) {
        unsettled = true;
        return;
      }
      await sleep(5);
    }
  };

  try {
    const { initializeCommunicationSystem } = await import('musical-conductor');
    warmSourceMaps(import.meta.resolve('musical-conductor'));
    const { conductor } = initializeCommunicationSystem();
    const { mountApp } = await import('../simulate/app-loader.js');
    const app = await mountApp(plan.appDir, conductor as never, {}, wrap, (p) => loadProblems.push(p));
    const found =
      app.mounted.find((m) => plan.sequenceId !== null && m.sequenceId === plan.sequenceId) ??
      app.mounted.find((m) => plan.sequenceId === null && m.sequenceName === plan.sequenceName);
    await settle(false);
    finished = 0;
    if (found) {
      target = { pluginId: plan.pluginId ?? found.pluginId, sequenceId: found.sequenceId };
      void conductor.play(target.pluginId, target.sequenceId, {});
      await settle(true);
    }
    return {
      mounted: app.mounted,
      loadProblems,
      played: target,
      reads: [...reads.values()],
      browserFailures: [...browserFailures.values()],
      unsettled,
    };
  } finally {
    capture.restore();
    writeFileSync(plan.logFile, `${capture.lines.join('\n')}\n`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

answerParent(runReplay);
