// Plays simulated user sessions of a RenderX-style app on the real musical-conductor and writes one Chrome-style
// console log per app start plus ground-truth.json. Each session runs in a child process (session-child).

import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { demoAppDir } from './demo-app-dir.js';
import { planSession, SLOW_HANDLER, STALE_BEATS, UNTESTED_HANDLERS } from './demo-scenario.js';
import { drawFaults, handlersBySequence, sessionFaults } from './fault-plan.js';
import type { Fault, FaultOptions, ReorderFault } from './faults.js';
import { runChildProcess } from './fork-child.js';
import type { FaultTruth, GroundTruth, HandlerRef, InjectedFault, PlayTruth, SessionTruth } from './ground-truth.js';
import { createRng } from './prng.js';
import type { SessionPlan, SessionReport } from './session-plan.js';

export interface SimulateOptions {
  /** The app to play; defaults to the bundled demo app (the scenario is written for it). */
  appDir?: string;
  outDir: string;
  /** App starts, one log file each. Default 6. */
  sessions?: number;
  seed?: number;
  /** First app start; later ones follow about an hour apart. Default 2026-11-20T09:00:00.000Z. */
  startTime?: string | number | Date;
  /** Session processes run at once. Default min(2, cores). */
  concurrency?: number;
  /** Inject faults (latency episodes, new errors, error bursts); all of them land in ground truth. */
  faults?: FaultOptions;
}

export const DEFAULT_START_TIME = '2026-11-20T09:00:00.000Z';
/** Gap between app starts on the virtual timeline, in ms (55 min + up to 10 min jitter). */
const SESSION_GAP_MS = 55 * 60_000;
const SESSION_JITTER_MS = 10 * 60_000;

export async function simulate(options: SimulateOptions): Promise<GroundTruth> {
  const appDir = resolve(options.appDir ?? demoAppDir());
  const outDir = resolve(options.outDir);
  const sessions = options.sessions ?? 6;
  const seed = options.seed ?? 42;
  const firstStart = new Date(options.startTime ?? DEFAULT_START_TIME).getTime();
  await mkdir(outDir, { recursive: true });

  const planRng = createRng(seed);
  const plans: SessionPlan[] = [];
  let start = firstStart;
  for (let i = 0; i < sessions; i++) {
    if (i > 0) start += SESSION_GAP_MS + planRng.int(0, SESSION_JITTER_MS);
    plans.push({
      appDir,
      logFile: join(outDir, `localhost-${start}.log`),
      startEpochMs: start,
      seed: (seed * 1_000_003 + i) >>> 0,
      staleBeats: STALE_BEATS,
      plays: planSession(createRng(seed + i * 7919), i),
    });
  }

  const faultSeed = options.faults?.seed ?? seed;
  const faults = options.faults
    ? drawFaults(
        createRng(faultSeed ^ 0x5eed),
        options.faults,
        plans.map((p) => p.plays),
        handlersBySequence(appDir),
        new Set(STALE_BEATS.map((b) => b.event)),
      )
    : [];
  if (options.faults) {
    plans.forEach((plan, i) => {
      plan.faults = sessionFaults(faults, i, (faultSeed * 31 + i) >>> 0);
    });
  }

  const reports = await mapLimit(plans, options.concurrency ?? Math.min(2, availableParallelism()), runChild);
  const truth = buildTruth(seed, plans, reports);
  if (options.faults) {
    truth.faults = faultTruth(faultSeed, options.faults.faultFreeSessions ?? [], faults, plans, reports);
    truth.failingHandlers = addInjectedErrors(truth.failingHandlers, truth.faults);
  }
  await writeFile(join(outDir, 'ground-truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

function buildTruth(seed: number, plans: SessionPlan[], reports: SessionReport[]): GroundTruth {
  const sessions: SessionTruth[] = plans.map((plan, i) => {
    const byId = new Map(reports[i]!.mounted.map((m) => [m.sequenceId, m]));
    const truthOf = (pluginId: string, sequenceId: string): PlayTruth => {
      const mounted = byId.get(sequenceId);
      if (!mounted || mounted.pluginId !== pluginId) throw new Error(`${pluginId}/${sequenceId} was not mounted`);
      return { pluginId, sequenceId, sequenceName: mounted.sequenceName, expectedBeats: mounted.beats };
    };
    const plays = plan.plays.flatMap((p) => [
      { ...truthOf(p.pluginId, p.sequenceId), ...(p.injectedError && { injectedError: p.injectedError }) },
      ...p.nested.map((n) => ({ ...truthOf(n.pluginId, n.sequenceId), triggeredBy: p.sequenceId })),
    ]);
    return {
      file: plan.logFile.slice(plan.logFile.lastIndexOf('/') + 1),
      startTime: new Date(plan.startEpochMs).toISOString(),
      plays,
    };
  });

  const failing = new Map<string, HandlerRef & { occurrences: number }>();
  for (const play of sessions.flatMap((s) => s.plays)) {
    if (!play.injectedError) continue;
    const key = `${play.pluginId}.${play.injectedError.handler}`;
    const entry = failing.get(key) ?? { pluginId: play.pluginId, handler: play.injectedError.handler, occurrences: 0 };
    entry.occurrences++;
    failing.set(key, entry);
  }
  const played = new Set(sessions.flatMap((s) => s.plays.map((p) => p.sequenceId)));
  const app = reports[0] ?? { mounted: [], dropped: [] };
  return {
    version: 1,
    seed,
    sessions,
    slowHandler: SLOW_HANDLER,
    failingHandlers: [...failing.values()],
    untestedHandlers: UNTESTED_HANDLERS,
    neverPlayedSequences: app.mounted
      .filter((m) => !played.has(m.sequenceId))
      .map((m) => ({ pluginId: m.pluginId, sequenceId: m.sequenceId })),
    drift: [...new Set(app.dropped.map((d) => d.sequenceId))].map((sequenceId) => ({
      sequenceId,
      missingInRuns: app.dropped.filter((d) => d.sequenceId === sequenceId).map((d) => d.beat),
    })),
  };
}

function faultTruth(
  seed: number,
  faultFree: number[],
  faults: readonly Fault[],
  plans: readonly SessionPlan[],
  reports: readonly SessionReport[],
): FaultTruth {
  const fileOf = (session: number) => plans[session]!.logFile.slice(plans[session]!.logFile.lastIndexOf('/') + 1);
  return {
    version: 1,
    seed,
    faultFreeSessions: [...faultFree].sort((a, b) => a - b),
    faults: faults.map((fault, index) => {
      if (fault.kind === 'reorder') return releaseTruth(fault, index, plans, fileOf);
      const applied = reports.flatMap((r) => r.faultsApplied.filter((a) => a.fault === index));
      const times = applied.flatMap((a) => [a.firstMs, a.lastMs]).filter((t): t is number => t !== null);
      return {
        ...fault,
        id: `${fault.kind}-${index}`,
        executions: applied.reduce((n, a) => n + a.executions, 0),
        affected: applied.reduce((n, a) => n + a.affected, 0),
        firstTime: times.length > 0 ? new Date(Math.min(...times)).toISOString() : null,
        lastTime: times.length > 0 ? new Date(Math.max(...times)).toISOString() : null,
        files: applied.filter((a) => a.affected > 0).map((a) => fileOf(a.session)),
      };
    }),
  };
}

/** A release's truth: the plays of its sequence in its sessions (each ran the swapped beats), from the plans. */
function releaseTruth(
  fault: ReorderFault,
  index: number,
  plans: readonly SessionPlan[],
  fileOf: (session: number) => string,
): InjectedFault {
  const plays = fault.sessions.map(
    (s) => plans[s]!.plays.flatMap((p) => [p, ...p.nested]).filter((p) => p.sequenceId === fault.sequenceId).length,
  );
  const count = plays.reduce((a, b) => a + b, 0);
  return {
    ...fault,
    id: `${fault.kind}-${index}`,
    executions: count,
    affected: count,
    firstTime: null,
    lastTime: null,
    files: fault.sessions.filter((_, i) => plays[i]! > 0).map(fileOf),
  };
}

/** Handlers that threw: the scenario's, plus those an injected error or burst made throw. */
function addInjectedErrors(
  failing: GroundTruth['failingHandlers'],
  faults: FaultTruth,
): GroundTruth['failingHandlers'] {
  const out = failing.map((f) => ({ ...f }));
  for (const f of faults.faults) {
    if (f.kind === 'latency' || f.kind === 'reorder' || f.affected === 0) continue;
    const entry = out.find((o) => o.pluginId === f.pluginId && o.handler === f.handler);
    if (entry) entry.occurrences += f.affected;
    else out.push({ pluginId: f.pluginId, handler: f.handler, occurrences: f.affected });
  }
  return out;
}

/** Runs one session process (session-child). */
function runChild(plan: SessionPlan): Promise<SessionReport> {
  return runChildProcess<SessionReport>(import.meta.url, 'session-child', plan, `session ${plan.logFile}`);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
