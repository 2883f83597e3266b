// Draws faults for a simulation from a seed: handlers that really run in the chosen window (read from the demo
// app's JSON sequences and the plan's plays), never a handler that already fails on purpose, never two faults on
// one handler (so each fault's effect stands alone), never in a fault-free session.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BurstFault,
  ErrorFault,
  Fault,
  FaultOptions,
  LatencyFault,
  ReorderFault,
  SessionFaults,
} from './faults.js';
import type { Rng } from './prng.js';
import type { PlannedPlay } from './session-plan.js';

/** A window must hold this many executions of its handler: fewer cannot be told from noise (docs/reports.md). */
export const MIN_WINDOW_EXECUTIONS = 3;
/** Latency factors drawn, and the floor (ms) standing for a beat's framework overhead. */
const FACTOR_RANGE: [number, number] = [3, 6];
/** A trivial handler's beat takes ~16 ms in Node (docs/log-formats.md §7): what a factor multiplies at least. */
export const LATENCY_FLOOR_MS = 16;

/** Messages of injected errors; `{n}` and `{id}` vary per execution (they must group as one). */
const MESSAGES = [
  "TypeError: Cannot read properties of undefined (reading '{id}')",
  'Request {id} timed out after {n} ms',
  'Quota exceeded: {n} writes pending for {id}',
  'RangeError: index {n} out of bounds for layer {id}',
  'Stale revision {n} for {id}: reload required',
];

/** A beat of a JSON sequence: its handler, event and movement (0-based index). */
export interface SequenceBeat {
  pluginId: string;
  handler: string;
  event: string;
  movement: number;
}

/** Sequence id → its beats in order, from each plugin's json-sequences (inline TS sequences aside). */
export function handlersBySequence(appDir: string): Map<string, SequenceBeat[]> {
  const out = new Map<string, SequenceBeat[]>();
  const root = join(appDir, 'plugins');
  for (const dir of readdirSync(root).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(root, dir, 'json-sequences')).filter((f) => f.endsWith('.json') && f !== 'index.json');
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      const seq = JSON.parse(readFileSync(join(root, dir, 'json-sequences', file), 'utf8')) as {
        id: string;
        pluginId: string;
        movements: Array<{ beats: Array<{ handler: string; event: string }> }>;
      };
      out.set(
        seq.id,
        seq.movements.flatMap((m, movement) =>
          m.beats.map((b) => ({ pluginId: seq.pluginId, handler: b.handler, event: b.event, movement })),
        ),
      );
    }
  }
  return out;
}

/**
 * Handler key → the play indexes (with repeats) at which it runs in this session's plan. Left out: handlers of
 * stale beats (the running build lacks them) and handlers of a sequence that starts nested plays (one of them
 * calls `conductor.play`: making it throw would leave the nested play unplayed, which the plan cannot know).
 */
function executionsByHandler(
  plays: readonly PlannedPlay[],
  handlers: ReadonlyMap<string, readonly SequenceBeat[]>,
  staleEvents: ReadonlySet<string>,
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const starters = new Set(plays.filter((p) => p.nested.length > 0).map((p) => p.sequenceId));
  plays.forEach((play, i) => {
    for (const seq of [play, ...play.nested]) {
      if (starters.has(seq.sequenceId)) continue;
      for (const h of handlers.get(seq.sequenceId) ?? []) {
        if (staleEvents.has(h.event)) continue;
        const key = `${h.pluginId}.${h.handler}`;
        out.set(key, [...(out.get(key) ?? []), i]);
      }
    }
  });
  return out;
}

export function drawFaults(
  rng: Rng,
  options: FaultOptions,
  sessions: ReadonlyArray<readonly PlannedPlay[]>,
  handlers: ReadonlyMap<string, readonly SequenceBeat[]>,
  staleEvents: ReadonlySet<string> = new Set(),
): Fault[] {
  const faults: Fault[] = [...(options.faults ?? [])];
  const free = new Set(options.faultFreeSessions ?? []);
  const faulty = sessions.map((_, i) => i).filter((i) => !free.has(i));
  // Handlers that throw on purpose in the scenario (their payload says so) keep their own error story.
  const scenarioFailing = new Set(
    sessions.flatMap((plays) =>
      plays.flatMap((p) => (p.injectedError ? [`${p.pluginId}.${p.injectedError.handler}`] : [])),
    ),
  );
  const used = new Set([...scenarioFailing, ...faults.map((f) => `${f.pluginId}.${f.handler}`)]);
  const perSession = sessions.map((plays) => executionsByHandler(plays, handlers, staleEvents));
  const split = (key: string) => {
    const dot = key.indexOf('.');
    return { pluginId: key.slice(0, dot), handler: key.slice(dot + 1) };
  };

  /** A (session, handler, window) with ≥ `min` executions of an unused handler, or null. */
  const pickWindow = (min: number) => {
    const candidates: Array<{ session: number; key: string; at: number[] }> = [];
    for (const session of faulty) {
      for (const [key, at] of perSession[session]!) {
        if (!used.has(key) && at.length >= min) candidates.push({ session, key, at });
      }
    }
    if (candidates.length === 0) return null;
    const c = rng.pick(candidates);
    // Half the windows are the whole session, half a stretch holding `min`.. all of its executions.
    const whole = rng.chance(0.5);
    const count = whole ? c.at.length : rng.int(min, c.at.length);
    const start = whole ? 0 : rng.int(0, c.at.length - count);
    const fromPlay = whole ? 0 : c.at[start]!;
    const toPlay = whole ? sessions[c.session]!.length - 1 : c.at[start + count - 1]!;
    used.add(c.key);
    return { session: c.session, fromPlay, toPlay, ...split(c.key) };
  };

  for (let i = 0; i < (options.latency ?? 0); i++) {
    const w = pickWindow(MIN_WINDOW_EXECUTIONS);
    if (!w) break;
    const factor = Math.round((FACTOR_RANGE[0] + rng.next() * (FACTOR_RANGE[1] - FACTOR_RANGE[0])) * 10) / 10;
    faults.push({ kind: 'latency', ...w, factor, floorMs: LATENCY_FLOOR_MS } satisfies LatencyFault);
  }
  for (let i = 0; i < (options.bursts ?? 0); i++) {
    const w = pickWindow(MIN_WINDOW_EXECUTIONS + 1);
    if (!w) break;
    const rate = Math.round((0.8 + rng.next() * 0.2) * 100) / 100;
    faults.push({ kind: 'burst', ...w, rate, message: rng.pick(MESSAGES) } satisfies BurstFault);
  }
  for (let i = 0; i < (options.errors ?? 0); i++) {
    // Handlers that run in most faulty sessions, so a rate means something.
    const counts = new Map<string, number>();
    for (const s of faulty) for (const [key, at] of perSession[s]!) counts.set(key, (counts.get(key) ?? 0) + at.length);
    const candidates = [...counts].filter(([key, n]) => !used.has(key) && n >= faulty.length).map(([key]) => key);
    if (candidates.length === 0) break;
    const key = rng.pick(candidates.sort());
    used.add(key);
    const rate = Math.round((0.2 + rng.next() * 0.4) * 100) / 100;
    faults.push({
      kind: 'error',
      ...split(key),
      rate,
      message: rng.pick(MESSAGES),
      sessions: faulty,
    } satisfies ErrorFault);
  }
  for (let i = 0; i < (options.causes ?? 0); i++) {
    const pairs = causePairs(faulty, sessions, perSession).filter((c) => !used.has(c.key));
    if (pairs.length === 0) break;
    const c = rng.pick(pairs);
    used.add(c.key);
    faults.push({
      kind: 'error',
      ...split(c.key),
      rate: CAUSED_RATE,
      message: rng.pick(MESSAGES),
      sessions: faulty,
      after: c.after,
    } satisfies ErrorFault);
  }
  for (let i = 0; i < (options.reorders ?? 0); i++) {
    const pairs = reorderPairs(sessions, faulty, handlers, used, staleEvents, faults);
    if (pairs.length === 0) break;
    const p = rng.pick(pairs);
    // The release comes with one of the faulty sessions after the first, and every faulty session after runs it.
    const from = rng.pick(faulty.slice(1).length > 0 ? faulty.slice(1) : faulty);
    faults.push({
      kind: 'reorder',
      pluginId: p.pluginId,
      handler: null,
      sequenceId: p.sequenceId,
      events: p.events,
      sessions: faulty.filter((s) => s >= from),
    } satisfies ReorderFault);
  }
  return faults;
}

/**
 * Adjacent beats of one movement that a release may swap: their sequence is played in the faulty sessions, is
 * not reordered already, starts no nested play, has no stale beat, and none of its handlers carries another fault
 * (so each fault's effect stands alone).
 */
function reorderPairs(
  sessions: ReadonlyArray<readonly PlannedPlay[]>,
  faulty: readonly number[],
  handlers: ReadonlyMap<string, readonly SequenceBeat[]>,
  used: ReadonlySet<string>,
  staleEvents: ReadonlySet<string>,
  faults: readonly Fault[],
): Array<{ pluginId: string; sequenceId: string; events: [string, string] }> {
  const played = new Set(faulty.flatMap((s) => sessions[s]!.flatMap((p) => [p, ...p.nested].map((x) => x.sequenceId))));
  const starters = new Set(
    sessions.flatMap((plays) => plays.filter((p) => p.nested.length > 0).map((p) => p.sequenceId)),
  );
  const reordered = new Set(faults.flatMap((f) => (f.kind === 'reorder' ? [f.sequenceId] : [])));
  const out: Array<{ pluginId: string; sequenceId: string; events: [string, string] }> = [];
  for (const [sequenceId, beats] of [...handlers].sort(byName)) {
    if (!played.has(sequenceId) || starters.has(sequenceId) || reordered.has(sequenceId)) continue;
    if (beats.some((b) => staleEvents.has(b.event) || used.has(`${b.pluginId}.${b.handler}`))) continue;
    for (let i = 0; i + 1 < beats.length; i++) {
      const [a, b] = [beats[i]!, beats[i + 1]!];
      if (a.movement === b.movement) out.push({ pluginId: a.pluginId, sequenceId, events: [a.event, b.event] });
    }
  }
  return out;
}

/** Entries in code-point order of their names, so that a seed draws the same candidate on every machine. */
const byName = ([a]: readonly [string, unknown], [b]: readonly [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** How often a caused error is thrown when its cause holds: nearly always, as code tripping over state does. */
const CAUSED_RATE = 0.9;
/** A cause needs this many executions after it, and as many after other sequences, to be told apart at all. */
const MIN_CAUSE_EXECUTIONS = 4;

/**
 * (handler, sequence) pairs for a caused error: the handler runs at least MIN_CAUSE_EXECUTIONS times in plays that
 * follow a play of the sequence and as many times in plays that do not, over the faulty sessions. The sequence
 * starts no nested play, so the run logged just before the caused one is its play.
 */
function causePairs(
  faulty: readonly number[],
  sessions: ReadonlyArray<readonly PlannedPlay[]>,
  perSession: ReadonlyArray<ReadonlyMap<string, number[]>>,
): Array<{ key: string; after: string }> {
  const counts = new Map<string, { after: Map<string, number>; total: number }>();
  for (const s of faulty) {
    const plays = sessions[s]!;
    for (const [key, at] of perSession[s]!) {
      const c = counts.get(key) ?? { after: new Map<string, number>(), total: 0 };
      counts.set(key, c);
      for (const i of at) {
        c.total++;
        const before = plays[i - 1];
        if (before && before.nested.length === 0) {
          c.after.set(before.sequenceId, (c.after.get(before.sequenceId) ?? 0) + 1);
        }
      }
    }
  }
  const pairs: Array<{ key: string; after: string }> = [];
  for (const [key, c] of [...counts].sort(byName)) {
    for (const [after, n] of [...c.after].sort(byName)) {
      if (n >= MIN_CAUSE_EXECUTIONS && c.total - n >= MIN_CAUSE_EXECUTIONS) pairs.push({ key, after });
    }
  }
  return pairs;
}

/** The faults each session process applies (indexes into the run's fault list). */
export function sessionFaults(faults: readonly Fault[], session: number, seed: number): SessionFaults {
  return {
    session,
    seed,
    faults: faults
      .map((fault, index) => ({ index, fault }))
      .filter(({ fault }) =>
        fault.kind === 'error' || fault.kind === 'reorder'
          ? fault.sessions.includes(session)
          : fault.session === session,
      ),
  };
}
