/**
 * Timed handler runs grouped the way trends tests them — per handler and per sequence × handler, then per session
 * (its rank by start time) — filled run by run, so a store's runs can stream through (`aggregateStore`) as well as
 * come from trace data. Holds one number per run and series, no run objects.
 */
import type { Session } from '../../model/index.js';
import { sequenceLabel } from '../../model/unknown-names.js';
import type { HandlerRunFact } from '../../store/handler-run-facts.js';
import { byStartTime } from '../trace-data.js';

/** Label of a handler run whose plugin the log did not name (as in baselines). */
export const UNKNOWN_PLUGIN = '(unknown plugin)';

/** One timed handler run, as trends reads it. */
export interface TimedRun {
  readonly sessionId: string;
  readonly plugin: string;
  readonly handler: string;
  readonly sequence: string;
  /** ms. */
  readonly durationMs: number;
}

export interface SeriesKey {
  readonly plugin: string;
  readonly handler: string;
  readonly sequence: string | null;
}

export interface Group {
  readonly key: SeriesKey;
  /** Session rank → the run times, ms, in arrival order. */
  readonly bySession: Map<number, number[]>;
}

export class TimedRunGroups {
  /** Sessions with a start time, by it. */
  readonly ordered: readonly Session[];
  /** All sessions given, with a start time or not. */
  readonly sessionCount: number;
  readonly groups = new Map<string, Group>();
  runs = 0;
  private readonly rank: ReadonlyMap<string, number>;
  /**
   * `groups` by plugin, handler and sequence (null: the handler's own series), so a run finds its two groups
   * without building their string keys (two per timed run, most of this class's time on a large store).
   */
  private readonly lookup = new Map<string, Map<string, Map<string | null, Group>>>();
  private lastSessionId: string | undefined;
  private lastRank: number | undefined;

  constructor(sessions: readonly Session[]) {
    this.ordered = sessions.filter((s) => s.startMs !== null).sort(byStartTime);
    this.sessionCount = sessions.length;
    this.rank = new Map(this.ordered.map((s, i) => [s.id, i]));
  }

  add(r: TimedRun): void {
    this.addTimed(r.sessionId, r.plugin, r.handler, r.sequence, r.durationMs);
  }

  /** A batch of the store's handler-run facts: the timed ones (a duration, settled within the beat). */
  addFacts(batch: readonly HandlerRunFact[]): void {
    for (const f of batch) {
      if (f.durationMs === null || f.settledAfterBeat) continue;
      this.addTimed(
        f.sessionId,
        f.pluginId ?? UNKNOWN_PLUGIN,
        f.handler,
        sequenceLabel(f.runSequenceName || f.sequenceName),
        f.durationMs,
      );
    }
  }

  /** `add` without a TimedRun object per run; a session's rank is looked up only when the session changes. */
  private addTimed(sessionId: string, plugin: string, handler: string, sequence: string, durationMs: number): void {
    this.runs++;
    if (sessionId !== this.lastSessionId) {
      this.lastSessionId = sessionId;
      this.lastRank = this.rank.get(sessionId);
    }
    const session = this.lastRank;
    if (session === undefined) return;
    this.put(plugin, handler, sequence, session, durationMs);
  }

  /** The handler's series (`sequence` null) and its series in `sequence`: the plugin and handler looked up once. */
  private put(plugin: string, handler: string, sequence: string, session: number, ms: number): void {
    let byHandler = this.lookup.get(plugin);
    if (byHandler === undefined) {
      byHandler = new Map();
      this.lookup.set(plugin, byHandler);
    }
    let bySequence = byHandler.get(handler);
    if (bySequence === undefined) {
      bySequence = new Map();
      byHandler.set(handler, bySequence);
    }
    this.putIn(bySequence, plugin, handler, null, session, ms);
    this.putIn(bySequence, plugin, handler, sequence, session, ms);
  }

  private putIn(
    bySequence: Map<string | null, Group>,
    plugin: string,
    handler: string,
    sequence: string | null,
    session: number,
    ms: number,
  ): void {
    let g = bySequence.get(sequence);
    if (g === undefined) {
      g = { key: { plugin, handler, sequence }, bySession: new Map() };
      bySequence.set(sequence, g);
      this.groups.set(`${plugin}\u0000${handler}\u0000${sequence ?? ''}\u0000${sequence === null ? 0 : 1}`, g);
    }
    const list = g.bySession.get(session);
    if (list) list.push(ms);
    else g.bySession.set(session, [ms]);
  }
}
