/**
 * `error-burst` findings of a sequence: its runs failing in one stretch of one session — a run fails when the
 * conductor reported it failed or one of its handlers threw — at a rate far above its own rate everywhere else,
 * judged as the handler bursts are (`burstWindow` and `burstTest`, error-bursts.ts: the window from the first to the
 * last failing run, ≥ MIN_ERRORS failures, ≥ MIN_WINDOW_RATE of its runs, a one-sided binomial test at ALPHA against
 * the Laplace-estimated rate elsewhere). What it adds to the handler bursts: failures spread over several handlers
 * of the sequence (none failing often enough for a burst of its own) or failures of the run itself. A window whose failing runs are
 * mostly explained by a handler burst of the same session is left to that finding.
 */
import type { HandlerError, SequenceRun } from '../../model/entities.js';
import { groupBy } from '../collections.js';
import { type Burst, type BurstWindow, burstTest, burstWindow, MIN_ERRORS } from './error-bursts.js';
import { distinct, type FindingContext, iso, sequenceKey } from './finding-context.js';
import { describeRate, plural, quoteCode, sourceText } from './finding-text.js';
import type { Finding } from './findings-types.js';
import { fingerprint } from './fingerprint.js';

/** A sequence's burst window in one session, with what its failing runs threw: tested once its totals are known. */
interface Candidate {
  readonly sequence: string;
  readonly window: BurstWindow<SequenceRun>;
  readonly thrown: readonly HandlerError[];
}

/**
 * What a trace (or one part of a store) says of sequence bursts: the candidate windows (not explained by a handler
 * burst of their session) and, per sequence (id, else name), its failing runs and runs, which add up over parts.
 */
export interface SequenceBursts {
  readonly candidates: readonly Candidate[];
  readonly failing: ReadonlyMap<string, number>;
  readonly runs: ReadonlyMap<string, number>;
}

/** `handlerBursts`: the handler error bursts of the same runs, which explain a window they mostly account for. */
export function sequenceBurstCandidates(ctx: FindingContext, handlerBursts: readonly Finding[]): SequenceBursts {
  const errorsByRun = groupBy(ctx.data.errors as readonly HandlerError[], (e) => e.sequenceRunId);
  const fails = (r: SequenceRun) => r.status === 'failed' || errorsByRun.has(r.id);
  // Handlers with a burst of their own, per session.
  const bursting = new Set(handlerBursts.map((f) => `${f.sessions[0]}\u0000${f.plugin}\u0000${f.handler}`));
  const candidates: Candidate[] = [];
  const failing = new Map<string, number>();
  const runCounts = new Map<string, number>();
  for (const [sequence, runs] of groupBy(ctx.data.runs, sequenceKey)) {
    const totalFailing = runs.filter(fails).length;
    failing.set(sequence, totalFailing);
    runCounts.set(sequence, runs.length);
    if (totalFailing < MIN_ERRORS) continue;
    for (const [sessionId, own] of groupBy(runs, (r) => r.sessionId)) {
      const window = burstWindow([...own].sort(byStart), fails);
      if (!window) continue;
      const explained = window.failing.filter((r) =>
        (errorsByRun.get(r.id) ?? []).some((e) => bursting.has(`${sessionId}\u0000${e.pluginId}\u0000${e.handler}`)),
      );
      if (explained.length * 2 >= window.k) continue;
      candidates.push({ sequence, window, thrown: window.failing.flatMap((r) => errorsByRun.get(r.id) ?? []) });
    }
  }
  return { candidates, failing, runs: runCounts };
}

/** Runs per sequence (id, else name) over `parts`. */
export function runsPerSequence(parts: readonly SequenceBursts[]): Map<string, number> {
  return sumCounts(parts.map((p) => p.runs));
}

/** The sequence bursts of `parts` (one, or every part of a store), each window tested against its sequence's totals. */
export function sequenceBurstFindings(ctx: FindingContext, parts: readonly SequenceBursts[]): Finding[] {
  const failing = sumCounts(parts.map((p) => p.failing));
  const runs = runsPerSequence(parts);
  const findings: Finding[] = [];
  for (const c of parts.flatMap((p) => p.candidates)) {
    const burst = burstTest(c.window, failing.get(c.sequence) ?? 0, runs.get(c.sequence) ?? 0);
    if (burst) findings.push(finding(ctx, c.sequence, c.thrown, burst));
  }
  return findings;
}

function sumCounts(counts: readonly ReadonlyMap<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of counts) for (const [key, n] of c) out.set(key, (out.get(key) ?? 0) + n);
  return out;
}

function byStart(a: SequenceRun, b: SequenceRun): number {
  return (
    (a.startMs ?? Number.POSITIVE_INFINITY) - (b.startMs ?? Number.POSITIVE_INFINITY) ||
    a.span.startLine - b.span.startLine
  );
}

function finding(
  ctx: FindingContext,
  sequence: string,
  thrown: readonly HandlerError[],
  s: Burst<SequenceRun>,
): Finding {
  const { failing } = s;
  const first = failing[0]!;
  const last = failing[failing.length - 1]!;
  const def = ctx.sequenceDefinition(first.sequenceId, first.sequenceName);
  const where = sourceText(def?.source.file ?? null, def?.source.line ?? null);
  const byHandler = [...groupBy(thrown, (e) => `${e.handler} (${e.pluginId})`)]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([h, list]) => `${quoteCode(h)} ${plural(list.length, 'time')}`);
  const start = iso(first.startMs);
  const end = iso(last.endMs ?? last.startMs);
  const elsewhereRate = s.elsewhere > 0 ? `${((s.elsewhereErrors / s.elsewhere) * 100).toFixed(1)} %` : 'no runs';
  return {
    id: fingerprint(['error-burst', 'sequence', sequence, first.sessionId, first.id]),
    kind: 'error-burst',
    severity: 'error',
    title: `${sequence} failed ${s.k} of ${s.n} runs in a burst`,
    explanation:
      `${quoteCode(sequence)} (${first.pluginId ?? 'unknown plugin'}${where ? `, ${where}` : ''}) failed ${describeRate(s.k, s.n, 'run')}` +
      ` between ${start ?? 'an untimed line'} and ${end ?? 'an untimed line'} in one session,` +
      ` against ${s.elsewhereErrors} of ${s.elsewhere} (${elsewhereRate}) everywhere else (binomial p = ${s.pValue.toExponential(1)}).` +
      (byHandler.length > 0
        ? ` The failures came from ${byHandler.join(', ')}; no handler burst of that session accounts for most of them.`
        : ' The runs failed without a handler error: look at the conductor’s own failure lines.') +
      ' Something in that stretch broke the sequence as a whole — shared state, a dependency, a deploy.',
    plugin: first.pluginId,
    handler: null,
    sequence,
    event: null,
    file: def?.source.file ?? null,
    line: def?.source.line ?? null,
    count: s.k,
    rate: s.k / s.n,
    firstSeen: start,
    lastSeen: end,
    sessions: [first.sessionId],
    logFiles: distinct([ctx.logFileOf(first.sessionId)]),
    evidence: ctx.evidence(
      failing.map((r) => ({ sessionId: r.sessionId, line: r.span.startLine, runId: r.id, requestId: r.requestId })),
    ),
    burst: {
      windowStart: iso(s.window[0]!.startMs),
      windowEnd: iso(s.window[s.window.length - 1]!.endMs ?? s.window[s.window.length - 1]!.startMs),
      windowErrors: s.k,
      windowExecutions: s.n,
      elsewhereErrors: s.elsewhereErrors,
      elsewhereExecutions: s.elsewhere,
      pValue: s.pValue,
    },
  };
}
