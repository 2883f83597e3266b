/**
 * The parts a finding about a window of one session's handler executions shares, whatever it judges in that window
 * (error bursts, latency anomalies): the handler's source, sequence, time range, session, log file and evidence.
 * The window is one handler's executions in one session, in time order (`byTime`), never empty.
 */
import type { HandlerRun } from '../../model/entities.js';
import { distinct, type FindingContext, iso } from './finding-context.js';
import { sourceText } from './finding-text.js';
import type { BurstDetail, Finding, FindingSeverity, LatencyDetail } from './findings-types.js';
import { fingerprint } from './fingerprint.js';

export { byTime } from './handler-histories.js';

/** What a window's title and explanation are written from. */
export interface SessionWindow {
  readonly first: HandlerRun;
  readonly last: HandlerRun;
  /** Handler source from the code index (nulls without one) and its `file:line` text ('' when unknown). */
  readonly file: string | null;
  readonly line: number | null;
  readonly where: string;
  /** ISO settle times of the first and last execution, null when untimed. */
  readonly start: string | null;
  readonly end: string | null;
}

export function sessionWindow(ctx: FindingContext, window: readonly HandlerRun[]): SessionWindow {
  const first = window[0]!;
  const last = window[window.length - 1]!;
  const src = ctx.handlerSource(first.handler, first.pluginId);
  return {
    first,
    last,
    file: src.file,
    line: src.line,
    where: sourceText(src.file, src.line),
    start: iso(first.settledMs),
    end: iso(last.settledMs),
  };
}

export interface WindowJudgement {
  readonly kind: 'error-burst' | 'latency-anomaly';
  readonly severity: FindingSeverity;
  readonly title: string;
  readonly explanation: string;
  readonly count: number;
  readonly rate: number | null;
  /** The executions shown as evidence (all of the window, or only its errors), in time order. */
  readonly evidence: readonly HandlerRun[];
  readonly latency?: LatencyDetail;
  readonly burst?: BurstDetail;
}

/** The finding for a window; its id fingerprints kind, handler, session and the window's first execution. */
export function sessionWindowFinding(
  ctx: FindingContext,
  window: readonly HandlerRun[],
  w: SessionWindow,
  j: WindowJudgement,
): Finding {
  const { first } = w;
  const sequences = distinct(
    window.map((r) => (r.sequenceRunId ? ctx.runs.get(r.sequenceRunId)?.sequenceId : null) ?? r.sequenceName),
  );
  return {
    id: fingerprint([j.kind, first.pluginId, first.handler, first.sessionId, first.id]),
    kind: j.kind,
    severity: j.severity,
    title: j.title,
    explanation: j.explanation,
    plugin: first.pluginId,
    handler: first.handler,
    sequence: sequences[0] ?? null,
    event: first.event,
    file: w.file,
    line: w.line,
    count: j.count,
    rate: j.rate,
    firstSeen: w.start,
    lastSeen: w.end,
    sessions: [first.sessionId],
    logFiles: distinct([ctx.logFileOf(first.sessionId)]),
    evidence: ctx.evidence(
      j.evidence.map((r) => ({
        sessionId: r.sessionId,
        line: r.line,
        runId: r.sequenceRunId,
        beatRunId: r.beatRunId,
        requestId: r.requestId,
      })),
    ),
    ...(j.latency ? { latency: j.latency } : {}),
    ...(j.burst ? { burst: j.burst } : {}),
  };
}
