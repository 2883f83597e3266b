/**
 * Root-cause hints for an error group: what sets the runs where the handler failed apart from the runs of the same
 * sequences where it ran and did not fail. Each candidate is a fact about a run at the moment the handler ran —
 * the sequence run just before it in its session, the beat before the handler's, a DataBaton key present or
 * absent, a slow beat before it, a plugin whose mount failed earlier in the session — counted in failing and in
 * succeeding runs, and kept only when the counts support it: at least MIN_WITH failing runs in at least
 * MIN_SESSIONS sessions have it (within one session, whatever sets that session apart — an older build, a plugin
 * that did not mount — would pass for the cause of errors that merely happened there), it is at
 * least MIN_RATIO × as common among failing runs as among succeeding ones, and one-sided Fisher's exact test holds
 * at MAX_P after a Bonferroni correction over the group's candidates. A fact every run of the group has cannot
 * tell them apart and is no candidate (Tarone's rule: a test that cannot reach significance does not count against
 * the others). Errors that strike at random get no hint.
 */
import type { BatonDiff, BeatRun, HandlerError, SequenceRun } from '../../model/entities.js';
import { gather, groupPositions, largestGroup } from '../../model/position-groups.js';
import { groupBy } from '../collections.js';
import { handlerKey } from '../handler-lookup.js';
import { percentilesInPlace } from '../percentile.js';
import { RowColumns } from '../row-columns.js';
import { type FindingContext, sequenceKey } from './finding-context.js';
import { quoteCode } from './finding-text.js';
import type { CauseHint, CauseKind } from './findings-types.js';
import { hypergeometricTail } from './robust-stats.js';

/** Failing runs that must share a fact, and succeeding runs there must be, before any hint is tried. */
export const MIN_WITH = 3;
/** Sessions the failing runs with a fact must come from. */
export const MIN_SESSIONS = 2;
const MIN_SUCCEEDING = 3;
/** Share of failing runs with the fact / share of succeeding runs with it, at least this. */
const MIN_RATIO = 2;
/** Family-wise error rate of a group's hints (Bonferroni over its candidates). */
const MAX_P = 0.05;
/** A beat is slow in a run when its time is over this quantile of its own times in the group's runs… */
const SLOW_QUANTILE = 0.9;
/** …and over its median by at least this many ms (times carry 1 ms resolution and framework overhead). */
const SLOW_MIN_EXCESS_MS = 10;
/** Hints kept per group, strongest first. */
const MAX_HINTS = 3;

/** The run a handler execution belongs to, and the line it ran at (its first execution in that run). */
interface RunAt {
  readonly run: SequenceRun;
  readonly line: number;
  readonly beatRunId: string | null;
}

/** The per-run lookups every group's hints read, built once per report on first use. */
export class CauseIndex {
  private previous?: Map<string, SequenceRun | null>;
  private beats?: Map<string, BeatRun[]>;
  private batons?: Map<string, BatonDiff[]>;
  private failedMounts?: Map<string, { pluginId: string; line: number }[]>;
  /** Per `handlerKey`, the runs in which that handler threw (any error). */
  private errorRuns?: Map<string, Set<string>>;

  constructor(private readonly ctx: FindingContext) {}

  /**
   * What the runs of one error group (`handler`, one signature; `errors`: the group's errors in this trace, maybe
   * none) say, per sequence (`sequenceKey`): the facts of each run where the handler threw these errors, and how many
   * of the runs where it ran without throwing have each fact. `only`: the sequences to count (the group's failing
   * ones, when the caller knows them all); else every sequence the handler ran in, so tables of several parts of a
   * store can be pooled (`causeHints` keeps the sequences that failed somewhere).
   */
  tables(
    handler: string,
    pluginId: string,
    errors: readonly HandlerError[],
    only?: ReadonlySet<string>,
  ): Map<string, CauseTable> {
    const out = new Map<string, CauseTable>();
    const failing = this.failingRuns(errors);
    const failed = new Set(failing.map((f) => f.run.id));
    // Runs where the handler threw something else are neither failing with this error nor succeeding.
    const threw = this.runsWithErrors(handler, pluginId);
    const succeeding = this.executedRuns(handler, pluginId).filter(
      (r) => (only === undefined || only.has(sequenceKey(r.run))) && !failed.has(r.run.id) && !threw.has(r.run.id),
    );
    const tableOf = (run: SequenceRun) => {
      const key = sequenceKey(run);
      let t = out.get(key);
      if (t === undefined) {
        t = { failing: [], succeeding: 0, succeedingFacts: new Map() };
        out.set(key, t);
      }
      return t;
    };
    for (const r of failing) tableOf(r.run).failing.push({ facts: this.facts(r), session: r.run.sessionId });
    for (const r of succeeding) {
      const t = tableOf(r.run);
      t.succeeding++;
      for (const f of this.facts(r)) t.succeedingFacts.set(f, (t.succeedingFacts.get(f) ?? 0) + 1);
    }
    return out;
  }

  private failingRuns(errors: readonly HandlerError[]): RunAt[] {
    const out = new Map<string, RunAt>();
    for (const e of errors) {
      const run = e.sequenceRunId ? this.ctx.runs.get(e.sequenceRunId) : undefined;
      if (run && !out.has(run.id)) out.set(run.id, { run, line: e.line, beatRunId: e.beatRunId });
    }
    return [...out.values()];
  }

  private runsWithErrors(handler: string, pluginId: string): ReadonlySet<string> {
    if (!this.errorRuns) {
      this.errorRuns = new Map();
      for (const e of this.ctx.data.errors) {
        if (e.sequenceRunId === null) continue;
        const key = handlerKey(e.handler, e.pluginId);
        const runs = this.errorRuns.get(key) ?? new Set<string>();
        runs.add(e.sequenceRunId);
        this.errorRuns.set(key, runs);
      }
    }
    return this.errorRuns.get(handlerKey(handler, pluginId)) ?? new Set();
  }

  private executedRuns(handler: string, pluginId: string): RunAt[] {
    const out = new Map<string, RunAt>();
    for (const h of this.ctx.executions.get(handlerKey(handler, pluginId)) ?? []) {
      const run = h.sequenceRunId ? this.ctx.runs.get(h.sequenceRunId) : undefined;
      if (run && !out.has(run.id)) out.set(run.id, { run, line: h.line, beatRunId: h.beatRunId });
    }
    return [...out.values()];
  }

  /** Each fact of a run as `kind\u0000value`, at the moment the handler ran. */
  private facts(at: RunAt): Set<string> {
    const out = new Set<string>();
    const fact = (kind: CauseKind, value: string) => out.add(`${kind}\u0000${value}`);
    const before = this.previousRun(at.run);
    fact('previous-sequence', before ? sequenceKey(before) : '(none: first run of its session)');
    const beats = this.beatsOf(at.run.id);
    const own = beats.find((b) => b.id === at.beatRunId);
    if (own) {
      const earlier = beats.filter((b) => b.beat < own.beat);
      const last = earlier.at(-1);
      fact('previous-beat', last ? beatLabel(last) : '(none: first beat)');
      for (const b of earlier) {
        const limit = this.ctx.beatTimes.slowOver(b);
        if (limit !== undefined && b.durationMs !== null && b.durationMs > limit)
          fact('slow-beat-before', beatLabel(b));
      }
    }
    // The DataBaton as the handler's beat began: what the handler itself writes must not count (a failing handler
    // writes nothing, so its own keys would read as absent in every failing run).
    const began = own?.span.startLine ?? at.line;
    const keys = new Set<string>();
    for (const d of this.batonsOf(at.run.id)) {
      if (d.line >= began) break;
      for (const k of [...d.change.added, ...d.change.updated]) keys.add(k);
      for (const k of d.change.removed) keys.delete(k);
    }
    for (const k of keys) fact('baton-key-present', k);
    for (const m of this.failedMountsOf(at.run.sessionId))
      if (m.line < at.run.span.startLine) fact('mount-failed', m.pluginId);
    return out;
  }

  private previousRun(run: SequenceRun): SequenceRun | null {
    if (!this.previous) {
      this.previous = new Map();
      for (const runs of groupBy(this.ctx.data.runs, (r) => r.sessionId).values()) {
        for (const [i, r] of runs.entries()) this.previous.set(r.id, runs[i - 1] ?? null);
      }
    }
    return this.previous.get(run.id) ?? null;
  }

  private beatsOf(runId: string): readonly BeatRun[] {
    this.beats ??= sortedGroups(
      this.ctx.data.beats.filter((b) => b.sequenceRunId !== null),
      (b) => b.sequenceRunId!,
      (a, b) => a.beat - b.beat,
    );
    return this.beats.get(runId) ?? [];
  }

  private batonsOf(runId: string): readonly BatonDiff[] {
    this.batons ??= sortedGroups(
      this.ctx.data.batons.filter((d) => d.sequenceRunId !== null && d.level === 'handler'),
      (d) => d.sequenceRunId!,
      (a, b) => a.line - b.line,
    );
    return this.batons.get(runId) ?? [];
  }

  private failedMountsOf(sessionId: string): readonly { pluginId: string; line: number }[] {
    this.failedMounts ??= groupBy(
      this.ctx.data.mounts.filter((m) => m.status === 'failed').map((m) => ({ ...m, line: m.span.startLine })),
      (m) => m.sessionId,
    );
    return this.failedMounts.get(sessionId) ?? [];
  }
}

/**
 * What the runs of an error group in one sequence say (CauseIndex.tables): each failing run's facts and session,
 * and the runs without the error, with a count per fact. Tables of the same group and sequence from several parts
 * of a store add up (`causeHints`). DataBaton keys are counted present only; absence is derived when judged.
 */
export interface CauseTable {
  readonly failing: { readonly facts: ReadonlySet<string>; readonly session: string }[];
  succeeding: number;
  readonly succeedingFacts: Map<string, number>;
}

/**
 * The hints of an error group from its tables, per part and sequence: the tables of the sequences it failed in
 * (in any part) are pooled, then judged (`strongest`).
 */
export function causeHints(parts: readonly ReadonlyMap<string, CauseTable>[]): CauseHint[] {
  const failingSequences = new Set<string>();
  for (const tables of parts) for (const [seq, t] of tables) if (t.failing.length > 0) failingSequences.add(seq);
  const pooled: CauseTable = { failing: [], succeeding: 0, succeedingFacts: new Map() };
  for (const tables of parts) {
    for (const [seq, t] of tables) {
      if (!failingSequences.has(seq)) continue;
      pooled.failing.push(...t.failing);
      pooled.succeeding += t.succeeding;
      for (const [f, n] of t.succeedingFacts) pooled.succeedingFacts.set(f, (pooled.succeedingFacts.get(f) ?? 0) + n);
    }
  }
  return strongest(pooled);
}

/** The facts that set failing runs apart, each tested; the ones that hold, strongest first. */
function strongest(table: CauseTable): CauseHint[] {
  if (table.failing.length < MIN_WITH || table.succeeding < MIN_SUCCEEDING) return [];
  // A DataBaton key can also matter by its absence: every run lacking a key some run had gets that fact.
  const present = 'baton-key-present\u0000';
  const keys = new Set<string>();
  for (const f of [...table.failing.flatMap((r) => [...r.facts]), ...table.succeedingFacts.keys()])
    if (f.startsWith(present)) keys.add(f.slice(present.length));
  const failing = table.failing.map(({ facts, session }) => {
    const all = new Set(facts);
    for (const k of keys) if (!facts.has(`${present}${k}`)) all.add(`baton-key-absent\u0000${k}`);
    return { facts: all, session };
  });
  const inSucceeding = new Map(table.succeedingFacts);
  for (const k of keys)
    inSucceeding.set(
      `baton-key-absent\u0000${k}`,
      table.succeeding - (table.succeedingFacts.get(`${present}${k}`) ?? 0),
    );
  const inFailing = new Map<string, { runs: number; sessions: Set<string> }>();
  for (const { facts, session } of failing) {
    for (const f of facts) {
      const c = inFailing.get(f) ?? { runs: 0, sessions: new Set<string>() };
      c.runs++;
      c.sessions.add(session);
      inFailing.set(f, c);
    }
  }
  const succeeding = table.succeeding;
  const total = failing.length + succeeding;
  const candidates = [...inFailing].filter(
    ([key, c]) =>
      c.runs >= MIN_WITH && c.sessions.size >= MIN_SESSIONS && c.runs + (inSucceeding.get(key) ?? 0) < total,
  );
  const hints: CauseHint[] = [];
  for (const [key, { runs: withFailing }] of candidates) {
    const withSucceeding = inSucceeding.get(key) ?? 0;
    const lift = withFailing / (withFailing + withSucceeding) / (failing.length / total);
    const ratio = withFailing / failing.length / (withSucceeding / succeeding);
    const p = hypergeometricTail(withFailing, total, withFailing + withSucceeding, failing.length);
    const pValue = Math.min(1, p * candidates.length);
    if (ratio < MIN_RATIO || pValue > MAX_P) continue;
    const [kind, value] = key.split('\u0000') as [CauseKind, string];
    const counts = {
      failing: { with: withFailing, of: failing.length },
      succeeding: { with: withSucceeding, of: succeeding },
    };
    hints.push({ kind, value, ...counts, lift, pValue, text: hintText(kind, value, counts, lift) });
  }
  return hints.sort((a, b) => a.pValue - b.pValue || b.lift - a.lift).slice(0, MAX_HINTS);
}

/** A timed beat's row: its slot (`BeatTimes`) and time, ms. */
const BEAT_COLUMNS = { slot: Int32Array, ms: Float64Array };

/**
 * Every beat's time by slot (sequence + beat number) over a trace, or over a whole store read in parts (filled from
 * its runs with their parts, in the flows' pass): what a slow beat before a handler is measured against. Each timed
 * beat is a row of typed columns (its slot and time: row-columns.ts), grouped by slot once, when first asked.
 */
export class BeatTimes {
  /**
   * Slot numbers by sequence name ('' for none), then beat number: a slot found without a key string built per
   * beat (a store's every beat comes through here); a run's beats come together, so the sequence's map is kept.
   */
  private readonly slots = new Map<string, Map<number, number>>();
  private slotCount = 0;
  private readonly rows: RowColumns<typeof BEAT_COLUMNS>;
  /** Per slot: the time a beat is slow over; NaN for a slot with fewer than 10 times. */
  private limits?: Float64Array;

  /** `expected`: about how many beats will be added (a store's beat runs), when known. */
  constructor(expected = 0) {
    this.rows = new RowColumns(BEAT_COLUMNS, expected);
  }

  /** Beats of sequence runs (others are no run's earlier beat). */
  add(beats: readonly BeatRun[]): void {
    let name: string | undefined;
    let slots: Map<number, number> | undefined;
    for (const b of beats) {
      if (b.durationMs === null || b.sequenceRunId === null) continue;
      if (slots === undefined || (b.sequenceName ?? '') !== name) {
        name = b.sequenceName ?? '';
        slots = this.slots.get(name);
        if (slots === undefined) {
          slots = new Map();
          this.slots.set(name, slots);
        }
      }
      let slot = slots.get(b.beat);
      if (slot === undefined) {
        slot = this.slotCount++;
        slots.set(b.beat, slot);
      }
      const i = this.rows.add();
      this.rows.columns.slot[i] = slot;
      this.rows.columns.ms[i] = b.durationMs;
    }
    this.limits = undefined;
  }

  /**
   * The time over which a beat of `b`'s slot counts as slow: over SLOW_QUANTILE of the slot's times and
   * SLOW_MIN_EXCESS_MS over their median; undefined for a slot with fewer than 10 times.
   */
  slowOver(b: BeatRun): number | undefined {
    this.limits ??= this.slotLimits();
    const slot = this.slots.get(b.sequenceName ?? '')?.get(b.beat);
    const limit = slot === undefined ? Number.NaN : this.limits[slot]!;
    return Number.isNaN(limit) ? undefined : limit;
  }

  private slotLimits(): Float64Array {
    const { slot, ms } = this.rows.rows();
    const { offsets, items } = groupPositions(slot, this.slotCount);
    const scratch = new Float64Array(largestGroup({ offsets, items }));
    const limits = new Float64Array(this.slotCount).fill(Number.NaN);
    for (let s = 0; s < this.slotCount; s++) {
      const rows = items.subarray(offsets[s]!, offsets[s + 1]!);
      if (rows.length < 10) continue;
      const times = gather(scratch.subarray(0, rows.length), ms, rows);
      const [median, high] = percentilesInPlace(times, [0.5, SLOW_QUANTILE]);
      limits[s] = Math.max(high!, median! + SLOW_MIN_EXCESS_MS);
    }
    return limits;
  }
}

const FACT_TEXT: Record<CauseKind, (value: string) => string> = {
  'previous-sequence': (v) => `the run before it in the session was ${quoteCode(v)}`,
  'previous-beat': (v) => `the beat before the handler's was ${quoteCode(v)}`,
  'baton-key-present': (v) => `the DataBaton held ${quoteCode(v)}`,
  'baton-key-absent': (v) => `the DataBaton lacked ${quoteCode(v)}`,
  'slow-beat-before': (v) => `${quoteCode(v)} ran slow before it`,
  'mount-failed': (v) => `plugin ${quoteCode(v)} had failed to mount earlier in the session`,
};

function hintText(kind: CauseKind, value: string, c: Pick<CauseHint, 'failing' | 'succeeding'>, lift: number): string {
  return (
    `In ${c.failing.with} of ${c.failing.of} failing runs ${FACT_TEXT[kind](value)}, against ` +
    `${c.succeeding.with} of ${c.succeeding.of} runs where it did not fail (${lift.toFixed(1)}× the failure rate).`
  );
}

function beatLabel(b: BeatRun): string {
  return b.event ?? `beat ${b.beat}`;
}

function sortedGroups<T>(items: readonly T[], key: (item: T) => string, order: (a: T, b: T) => number) {
  const out = groupBy(items, key);
  // Store order mostly is this order already; a sort would copy each list all the same.
  for (const list of out.values()) if (!inOrder(list, order)) list.sort(order);
  return out;
}

function inOrder<T>(list: readonly T[], order: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (order(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}
