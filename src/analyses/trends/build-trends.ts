/**
 * Change points of handler times across sessions (`beatscope report trends`). Each handler's timed runs (the
 * heatmap's: known duration, settled within the beat) are grouped by session; sessions with a start time are
 * ordered by it, and a session with at least `minRunsPerSession` runs becomes one point: the mean of ln(time)
 * (times floored at 1 ms, the log timestamps' resolution), so a handler that got 2× slower moves by ln 2 whatever
 * its level. change-point.ts finds the splits of that series. The same runs per sequence × handler make extra
 * series for handlers run by several sequences: a change in one flow only is diluted in the handler-wide series.
 *
 * Multiple-testing control: the first (whole-series) test of every series is one family, Benjamini–Hochberg at
 * `alpha`; a series with a change there is split further while the next split's corrected p-value stays under the
 * BH cut-off of that family (its reported pValue is scaled to it: ≤ alpha means accepted).
 */
import type { FileInfo } from '../../model/file-info.js';
import type { Session } from '../../model/index.js';
import { sequenceLabel } from '../../model/unknown-names.js';
import { compareStrings } from '../collections.js';
import { percentile, roundMs } from '../percentile.js';
import { benjaminiHochberg, trimmedMean } from '../regressions/rank-tests.js';
import type { TraceData } from '../trace-data.js';
import { traceIndex } from '../trace-index.js';
import { type Split, segmentSeries } from './change-point.js';
import { loadSeries, MIN_HANDLERS_FOR_LOAD, type PointSeries, sessionLoad, withoutLoad } from './session-load.js';
import { type Group, type TimedRun, TimedRunGroups, UNKNOWN_PLUGIN } from './timed-run-groups.js';
import {
  type ChangeLocation,
  type ChangePoint,
  DEFAULT_TRENDS_OPTIONS,
  type SegmentSummary,
  type TrendPoint,
  type TrendSeries,
  type TrendsInsufficient,
  type TrendsOptions,
  type TrendsReport,
} from './trends-types.js';

/** The timed runs of trace data: awaited runs with a duration, their sequence as the heatmap names it. */
export function timedRuns(data: TraceData): TimedRun[] {
  const index = traceIndex(data);
  const out: TimedRun[] = [];
  data.handlerRuns.forEach((h, i) => {
    if (h.durationMs === null || h.settledAfterBeat) return;
    const r = index.runOfHandlerRun[i]!;
    out.push({
      sessionId: h.sessionId,
      plugin: h.pluginId ?? UNKNOWN_PLUGIN,
      handler: h.handler,
      sequence: sequenceLabel((r < 0 ? undefined : data.runs[r])?.sequenceName || h.sequenceName),
      durationMs: h.durationMs,
    });
  });
  return out;
}

type Series = PointSeries;

export function buildTrends(
  data: Pick<TraceData, 'sessions' | 'runs' | 'handlerRuns' | 'beats'>,
  files: readonly FileInfo[] = [],
  options: TrendsOptions = {},
): TrendsReport {
  return trendsOfRuns(data.sessions, timedRuns(data as TraceData), files, options);
}

export function trendsOfRuns(
  sessions: readonly Session[],
  runs: readonly TimedRun[],
  files: readonly FileInfo[] = [],
  options: TrendsOptions = {},
): TrendsReport {
  const groups = new TimedRunGroups(sessions, runs.length);
  for (const r of runs) groups.add(r);
  return trendsOfGroups(groups, files, options);
}

/** Trends of runs already grouped (from trace data, or streamed out of a store by `aggregateStore`). */
export function trendsOfGroups(
  groups: TimedRunGroups,
  files: readonly FileInfo[] = [],
  options: TrendsOptions = {},
): TrendsReport {
  const opts = { ...DEFAULT_TRENDS_OPTIONS, ...options };
  const { ordered } = groups;
  const grouped = groups.groups;
  const multiSequence = new Set<string>();
  const sequencesOf = new Map<string, Set<string>>();
  for (const [key, g] of grouped) {
    if (g.key.sequence === null) continue;
    const h = `${g.key.plugin}\u0000${g.key.handler}`;
    const set = sequencesOf.get(h) ?? new Set<string>();
    set.add(key);
    sequencesOf.set(h, set);
    if (set.size > 1) multiSequence.add(h);
  }

  const insufficient: TrendsInsufficient[] = [];
  const raw: Series[] = [];
  const needed = 2 * opts.minSegmentSessions;
  for (const g of grouped.values()) {
    const isHandler = g.key.sequence === null;
    if (!isHandler && !multiSequence.has(`${g.key.plugin}\u0000${g.key.handler}`)) continue;
    const series = toSeries(g, ordered, opts.minRunsPerSession);
    if (series.points.length >= needed) raw.push(series);
    else if (isHandler)
      insufficient.push({
        plugin: g.key.plugin,
        handler: g.key.handler,
        reason: `timed in ${series.points.length} session${series.points.length === 1 ? '' : 's'}${opts.minRunsPerSession > 1 ? ` (≥ ${opts.minRunsPerSession} runs each)` : ''}; needs ${needed}`,
      });
  }

  const handlerWide = raw.filter((t) => t.sequence === null);
  const normalize = opts.normalize && handlerWide.length >= MIN_HANDLERS_FOR_LOAD;
  const load = normalize ? sessionLoad(handlerWide, ordered.length) : new Float64Array(ordered.length);
  const tested = raw.map((t) => withoutLoad(t, load));
  const all = normalize ? loadSeries(handlerWide, load, ordered) : null;
  if (all !== null && all.points.length >= needed) tested.push(all);

  // First tests: one per series, one BH family. The BH cut-off is the largest p_(k) with p_(k) ≤ k·alpha/m.
  const firsts = tested.map((s) => segmentSeries(s.values, opts.minSegmentSessions, () => false).first);
  const qValues = benjaminiHochberg(firsts.map((f) => f?.pValue ?? 1));
  const m = tested.length;
  const sortedP = firsts.map((f) => f?.pValue ?? 1).sort((a, b) => a - b);
  let cutoff = 0;
  sortedP.forEach((p, k) => {
    if (p <= ((k + 1) * opts.alpha) / m) cutoff = p;
  });
  const rejected = sortedP.filter((p) => p <= cutoff).length;

  const fileOf = new Map(files.map((f) => [f.fileId, f.path]));
  const changePoints: ChangePoint[] = [];
  const changedSeries: TrendSeries[] = [];
  tested.forEach((s, i) => {
    if (rejected === 0 || qValues[i]! > opts.alpha) return;
    const { splits } = segmentSeries(s.values, opts.minSegmentSessions, (split) => split.pValue <= cutoff);
    const points = reportedSplits(s, splits, opts.minChange, s === all).map(({ split, before, after, change }) => {
      const depthFirst = split.from === 0 && split.to === s.values.length;
      const pValue = depthFirst ? qValues[i]! : Math.min(1, (split.pValue * m) / rejected);
      const session = ordered[s.points[split.at]!.sessionIndex]!;
      return {
        plugin: s.plugin,
        handler: s.handler,
        sequence: s.sequence,
        metric: 'handlerTime' as const,
        at: location(session, s.points[split.at]!.sessionIndex, fileOf),
        before,
        after,
        change,
        pValue,
        pointIndex: split.at,
      };
    });
    if (points.length === 0) return;
    changePoints.push(...points.map(({ pointIndex: _, ...cp }) => cp));
    changedSeries.push({
      plugin: s.plugin,
      handler: s.handler,
      sequence: s.sequence,
      points: s.points,
      changesAt: points.map((p) => p.pointIndex),
    });
  });

  // A sequence × handler change next to (±1 session) a change of the handler-wide series says nothing new.
  const wideChanges = changePoints.filter((c) => c.sequence === null);
  const kept = changePoints.filter(
    (c) =>
      c.sequence === null ||
      !wideChanges.some(
        (h) => h.plugin === c.plugin && h.handler === c.handler && Math.abs(h.at.sessionIndex - c.at.sessionIndex) <= 1,
      ),
  );
  kept.sort(
    (a, b) =>
      a.at.sessionIndex - b.at.sessionIndex ||
      compareStrings(a.plugin, b.plugin) ||
      compareStrings(a.handler, b.handler) ||
      compareStrings(a.sequence ?? '', b.sequence ?? ''),
  );
  const keptSeries = changedSeries.filter((s) =>
    kept.some((c) => c.plugin === s.plugin && c.handler === s.handler && c.sequence === s.sequence),
  );
  insufficient.sort((a, b) => compareStrings(a.plugin, b.plugin) || compareStrings(a.handler, b.handler));
  return {
    options: opts,
    summary: {
      sessions: ordered.length,
      sessionsWithoutStart: groups.sessionCount - ordered.length,
      tested: tested.length,
      handlersTested: handlerWide.length,
      changePoints: kept.length,
      handlersChanged: new Set(kept.map((c) => `${c.plugin}\u0000${c.handler}`)).size,
      insufficient: insufficient.length,
    },
    changePoints: kept,
    insufficient,
    series: keptSeries,
    notes: notes(groups.sessionCount - ordered.length, groups.runs),
  };
}

function notes(withoutStart: number, runs: number): string[] {
  const out: string[] = [];
  if (withoutStart > 0)
    out.push(
      `${withoutStart} session${withoutStart === 1 ? ' has' : 's have'} no start time and cannot be ordered: left out.`,
    );
  if (runs === 0) out.push('No timed handler runs: the logs have no handler settle times, or hold no handler runs.');
  return out;
}

function toSeries(group: Group, ordered: readonly Session[], minRuns: number): Series {
  const times: number[][] = [];
  const points: TrendPoint[] = [];
  const values: number[] = [];
  for (let k = 0; k < group.sessions.length; k++) {
    const session = group.sessions[k]!;
    const list = group.times.subarray(group.bounds[k]!, group.bounds[k + 1]!);
    if (list.length < minRuns) continue;
    // A typed array's own numeric sort: a comparator sort over every timed run of a large store cost ~0.2 s.
    const sorted = Array.from(list.slice().sort());
    const logMean = sorted.reduce((s, v) => s + Math.log(Math.max(1, v)), 0) / sorted.length;
    times.push(sorted);
    values.push(logMean);
    points.push({
      session: ordered[session]!.id,
      startMs: ordered[session]!.startMs!,
      sessionIndex: session,
      n: sorted.length,
      p50: roundMs(percentile(sorted, 0.5)!),
      geoMean: roundMs(Math.exp(logMean)),
    });
  }
  return { ...group.key, times, points, values };
}

/**
 * Each accepted split with the sides between its neighbouring splits, kept when the level (the tested values:
 * geometric mean, load taken out) and the 10 %-trimmed mean handler time both changed by at least `minChange`
 * the same way. `change` is the trimmed-mean change (what the p50s show); for the load series, the level's.
 */
function reportedSplits(
  s: Series,
  splits: readonly Split[],
  minChange: number,
  levelOnly: boolean,
): Array<{ split: Split; before: SegmentSummary; after: SegmentSummary; change: number }> {
  const bounds = [0, ...splits.map((x) => x.at), s.points.length];
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const out: Array<{ split: Split; before: SegmentSummary; after: SegmentSummary; change: number }> = [];
  splits.forEach((split, k) => {
    const [from, at, to] = [bounds[k]!, bounds[k + 1]!, bounds[k + 2]!];
    const level = Math.exp(mean(s.values.slice(at, to)) - mean(s.values.slice(from, at))) - 1;
    const before = s.times
      .slice(from, at)
      .flat()
      .sort((a, b) => a - b);
    const after = s.times
      .slice(at, to)
      .flat()
      .sort((a, b) => a - b);
    const base = trimmedMean(before);
    const trimmed = base > 0 ? trimmedMean(after) / base - 1 : Number.POSITIVE_INFINITY;
    const change = levelOnly ? level : trimmed;
    if (!(Math.abs(level) >= minChange && Math.abs(change) >= minChange && Math.sign(level) === Math.sign(change)))
      return;
    out.push({
      split,
      before: summary(before, at - from),
      after: summary(after, to - at),
      change: Math.round(change * 10_000) / 10_000,
    });
  });
  return out;
}

function summary(sorted: readonly number[], sessions: number): SegmentSummary {
  return {
    sessions,
    n: sorted.length,
    p50: roundMs(percentile(sorted, 0.5)!),
    p95: roundMs(percentile(sorted, 0.95)!),
  };
}

function location(session: Session, sessionIndex: number, fileOf: ReadonlyMap<string, string>): ChangeLocation {
  return {
    session: session.id,
    file: fileOf.get(session.fileId) ?? session.fileId,
    time: new Date(session.startMs!).toISOString(),
    sessionIndex,
  };
}

export type { TimedRun } from './timed-run-groups.js';
