/**
 * `handler-error` findings: handler errors grouped the way Sentry groups events into issues — plugin + handler +
 * normalised message + top in-app stack frame — with how often the handler fails per execution, since when,
 * in which sessions and sequences, the handler's `file:line` from the code index, and root-cause hints (what sets
 * the failing runs apart, root-cause.ts); with them, the handler × signature × sequence matrix (error-matrix.ts).
 */
import type { HandlerError } from '../../model/entities.js';
import { groupBy } from '../collections.js';
import type { HandlerRunCount } from '../handler-aggregate.js';
import { handlerKey } from '../handler-lookup.js';
import { errorMatrix } from './error-matrix.js';
import { distinct, type FindingContext, seenRange } from './finding-context.js';
import { describeRate, plural, quoteCode, sourceText } from './finding-text.js';
import type { CauseHint, ErrorMatrix, Finding } from './findings-types.js';
import { fingerprint, normalizeMessage } from './fingerprint.js';
import { CauseIndex } from './root-cause.js';
import { type AppFrame, FrameMapper } from './stack-frames.js';

/** A store's handler errors and handler executions, counted over all of it (when `ctx` holds only a window). */
export interface WholeStoreErrors {
  readonly errors: readonly HandlerError[];
  readonly executions: readonly HandlerRunCount[];
}

/**
 * With the findings, the matrix, and `notes`: what limited the stack frames' mapping (source maps too large to
 * read). `whole`: group and count these errors, over these executions, instead of the context's.
 */
export function handlerErrorFindings(
  ctx: FindingContext,
  whole?: WholeStoreErrors,
): {
  findings: Finding[];
  matrix: ErrorMatrix;
  notes: readonly string[];
} {
  const frames = new FrameMapper(ctx.code);
  const causes = new CauseIndex(ctx);
  const counted = whole
    ? new Map(whole.executions.map((h) => [handlerKey(h.handler, h.pluginId), h.executions]))
    : new Map([...ctx.executions].map(([key, runs]) => [key, runs.length]));
  const framed = (whole?.errors ?? ctx.data.errors).map((e) => ({
    error: e,
    frame: frames.topAppFrame(e.stack),
    message: normalizeMessage(e.message),
  }));
  const groups = groupBy(framed, (f) =>
    [f.error.pluginId, f.error.handler, f.message, f.frame?.fn ?? '', f.frame?.file ?? ''].join('\u0000'),
  );
  const found: { finding: Finding; errors: HandlerError[] }[] = [];
  for (const group of groups.values()) {
    const { error: first, frame, message } = group[0]!;
    const errors = group.map((g) => g.error).sort(byTime);
    const executions = counted.get(handlerKey(first.handler, first.pluginId)) ?? 0;
    // An error line with no matching handler run still counts as one execution.
    const denominator = Math.max(executions, errors.length);
    const sequences = distinct(errors.map((e) => sequenceOf(ctx, e)));
    const events = distinct(errors.map((e) => ctx.beat(e.beatRunId)?.event));
    const sessions = distinct(errors.map((e) => e.sessionId));
    const src = ctx.handlerSource(first.handler, first.pluginId);
    const seen = seenRange(errors.map((e) => e.timeMs));
    const rate = errors.length / denominator;
    const hints = causes.hints(errors);
    const finding: Finding = {
      id: fingerprint(['handler-error', first.pluginId, first.handler, message, frame?.fn, frame?.file]),
      kind: 'handler-error',
      severity: 'error',
      title: `${first.handler} (${first.pluginId}) throws ${oneLine(message)}`,
      explanation: explain(first, message, frame, {
        count: errors.length,
        denominator,
        sessions: sessions.length,
        sequences,
        since: seen.firstSeen,
        file: src.file,
        line: src.line,
        stillCompleted: errors.every((e) => e.beatStillCompleted),
        hint: hints[0],
      }),
      plugin: first.pluginId,
      handler: first.handler,
      sequence: sequences[0] ?? null,
      event: events[0] ?? null,
      file: src.file ?? (frame?.mapped ? frame.file : null),
      line: src.file ? src.line : frame?.mapped ? frame.line : null,
      count: errors.length,
      rate,
      ...seen,
      sessions,
      logFiles: distinct(sessions.map((s) => ctx.logFileOf(s))),
      evidence: ctx.evidence(
        errors.map((e) => ({ sessionId: e.sessionId, line: e.line, runId: e.sequenceRunId, beatRunId: e.beatRunId })),
      ),
      message,
      frame: frame ? { fn: frame.fn, file: frame.file, line: frame.line } : null,
      hints,
    };
    found.push({ finding, errors });
  }
  return { findings: found.map((f) => f.finding), matrix: errorMatrix(ctx, found), notes: frames.notes };
}

/** Time order (untimed last), then log order within a file. */
function byTime(a: HandlerError, b: HandlerError): number {
  return (a.timeMs ?? Number.POSITIVE_INFINITY) - (b.timeMs ?? Number.POSITIVE_INFINITY) || a.line - b.line;
}

function sequenceOf(ctx: FindingContext, e: HandlerError): string | null {
  const run = e.sequenceRunId ? ctx.runs.get(e.sequenceRunId) : undefined;
  return run ? (run.sequenceId ?? (run.sequenceName || null)) : null;
}

function oneLine(text: string): string {
  const line = text.split('\n')[0]!;
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

function explain(
  e: HandlerError,
  message: string,
  frame: AppFrame | null,
  f: {
    count: number;
    denominator: number;
    sessions: number;
    sequences: readonly string[];
    since: string | null;
    file: string | null;
    line: number | null;
    stillCompleted: boolean;
    hint: CauseHint | undefined;
  },
): string {
  const where = sourceText(f.file, f.line);
  const parts = [
    `${quoteCode(e.handler)} (${e.pluginId}${where ? `, ${where}` : ''}) threw ${quoteCode(oneLine(message))} ${describeRate(f.count, f.denominator, 'execution')} across ${plural(f.sessions, 'session')}${f.since ? ` since ${f.since}` : ''}${f.sequences.length > 0 ? `, in ${f.sequences.join(', ')}` : ''}.`,
  ];
  if (f.stillCompleted)
    parts.push('The conductor caught it and still reported the beat completed, so nothing upstream fails loudly.');
  if (f.hint) parts.push(f.hint.text);
  if (frame?.mapped && (frame.file !== f.file || frame.line !== f.line)) {
    parts.push(
      `The top in-app stack frame is ${frame.fn ? `${quoteCode(frame.fn)} at ` : ''}${sourceText(frame.file, frame.line)}.`,
    );
  } else if (!frame) {
    parts.push(
      'No stack frame is in the app’s own code: the error came from the framework or a wrapper around the handler.',
    );
  }
  parts.push(
    where ? `Start at ${where}.` : 'Index the code (`beatscope index <repo>`) to get the handler’s file:line.',
  );
  return parts.join(' ');
}
