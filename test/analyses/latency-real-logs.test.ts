/**
 * `latency-anomaly` on real conductor logs (test/fixtures/simulator-latency, see test/fixtures/README.md): four
 * sessions of the demo app with three injected episodes — createNode and registerInstance, two handlers of the
 * create sequence, slowed together in the same three runs of one session, and the async renderReact slowed in three
 * runs of another. The host environment must read the pair as theirs, not as host load; createNode's window must not
 * be put down to registerInstance's (that settled before createNode's beat began); renderReact's delay must be in
 * its logged times.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FindingContext, findingContext } from '../../src/analyses/findings/finding-context.js';
import { hostEnvironment, runEnvironment } from '../../src/analyses/findings/host-environment.js';
import { latencyFindings, slowSessions } from '../../src/analyses/findings/latency-anomalies.js';
import { loadTraceData } from '../../src/analyses/trace-data.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { HandlerRun } from '../../src/model/entities.js';
import type { InjectedFault } from '../../src/simulate/ground-truth.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

const DIR = join(import.meta.dirname, '../fixtures/simulator-latency');

let ctx: FindingContext;
let faults: InjectedFault[];
beforeAll(async () => {
  const store = new InMemoryStore();
  await ingest([DIR], { store, workers: 0 });
  const [data, files] = await Promise.all([loadTraceData(store), store.files()]);
  await store.close();
  ctx = findingContext(data, undefined, files);
  faults = JSON.parse(await readFile(join(DIR, 'faults.json'), 'utf8')).faults.faults;
});

/** A handler's timed executions in the log file a fault names, in log order. */
function executions(handler: string, file: string): HandlerRun[] {
  const all = ctx.executions.get(`CanvasComponentPlugin\u0000${handler}`) ?? [];
  return all.filter((r) => basename(ctx.logFileOf(r.sessionId) ?? '') === `${file}.gz` && r.durationMs !== null);
}

const summary = (env?: Parameters<typeof latencyFindings>[1]) =>
  latencyFindings(ctx, env).map((f) => [f.handler, basename(f.logFiles[0]!), f.count, f.latency?.windowMedianMs]);

describe('latency anomalies in real conductor logs', () => {
  it('find the three injected episodes and nothing else', () => {
    expect(summary()).toEqual([
      ['registerInstance', 'localhost-1795172429636.log.gz', 3, 63],
      ['createNode', 'localhost-1795172429636.log.gz', 3, 77],
      ['renderReact', 'localhost-1795168860662.log.gz', 3, 71],
    ]);
    for (const f of latencyFindings(ctx)) {
      const fault = faults.find((t) => t.handler === f.handler)!;
      expect(`${fault.files[0]}.gz`).toBe(basename(f.logFiles[0]!));
      // Settle lines come after the wrapper's calls: the window starts at or after the fault's first slowed call.
      expect(Date.parse(f.firstSeen!)).toBeGreaterThanOrEqual(Date.parse(fault.firstTime!));
      expect(Date.parse(f.firstSeen!) - Date.parse(fault.firstTime!)).toBeLessThan(200);
    }
  });

  it('read the host from other sequences, where the run rule took the episode itself for host load', () => {
    // registerInstance's 4th execution: createNode, slowed in the same run, lifts the run rule to 17.5 ms, so
    // 63 ms (45 over its usual 18) no longer clears 35 ms; the runs of other sequences around it ran as usual.
    const register = executions('registerInstance', faults[1]!.files[0]!);
    expect(register.map((r) => r.durationMs)).toEqual([26, 71, 62, 63]);
    expect(register.map(runEnvironment(ctx))).toEqual([8, 0, 0, 17.5]);
    expect(register.map(hostEnvironment(ctx))).toEqual([4, 2, 0, 0]);
    // renderReact is async: notifyUi, after it in each run, logs only once renderReact settled, so the run rule
    // counts renderReact's own delay as the host's.
    const render = executions('renderReact', faults[2]!.files[0]!);
    expect(render.map((r) => r.durationMs)).toEqual([71, 95, 68]);
    expect(render.map(runEnvironment(ctx))).toEqual([0, 20, 11]);
    expect(render.map(hostEnvironment(ctx))).toEqual([0, 3.5, 0]);
    // With the run rule, both are missed, and notifyUi's held-back settle lines read as its own episode.
    expect(summary(runEnvironment(ctx))).toEqual([
      ['createNode', 'localhost-1795172429636.log.gz', 3, 77],
      ['notifyUi', 'localhost-1795168860662.log.gz', 3, 63],
    ]);
  });

  it('name before judging every session a window can be in, and not the others', () => {
    // What a store read in parts reads in full for latency (findings-parts.ts): windows found with no host
    // environment taken off at all are the most there can be.
    const slow = slowSessions(ctx.historyTimes);
    const windows = latencyFindings(ctx, () => 0);
    expect(windows.length).toBeGreaterThanOrEqual(3);
    for (const f of windows) expect(slow.has(f.sessions[0]!), f.title).toBe(true);
    expect(slow.size).toBeLessThan(ctx.data.sessions.length);
  });
});
