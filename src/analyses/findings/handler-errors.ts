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
import { addCells, errorMatrix, type MatrixCell, matrixCells } from './error-matrix.js';
import { distinct, type FindingContext, seenRange } from './finding-context.js';
import { describeRate, plural, quoteCode, sourceText } from './finding-text.js';
import type { CauseHint, ErrorMatrix, Finding } from './findings-types.js';
import { fingerprint, normalizeMessage } from './fingerprint.js';
import { CauseIndex, type CauseTable, causeHints } from './root-cause.js';
import { type AppFrame, FrameMapper } from './stack-frames.js';

/** A store's handler errors and handler executions, counted over all of it (when `ctx` holds only a part). */
export interface WholeStoreErrors {
  readonly errors: readonly HandlerError[];
  readonly executions: readonly HandlerRunCount[];
}

/** An error's group, as Sentry fingerprints events: plugin, handler, normalised message, top in-app frame. */
interface Signature {
  readonly key: string;
  readonly frame: AppFrame | null;
  readonly message: string;
}

/** Errors' signatures, each computed once (a store read in parts groups its errors once per part). */
export class ErrorSignatures {
  private readonly known = new WeakMap<HandlerError, Signature>();

  constructor(readonly frames: FrameMapper) {}

  of(e: HandlerError): Signature {
    let s = this.known.get(e);
    if (s === undefined) {
      const frame = this.frames.topAppFrame(e.stack);
      const message = normalizeMessage(e.message);
      const key = [e.pluginId, e.handler, message, frame?.fn ?? '', frame?.file ?? ''].join('\u0000');
      s = { key, frame, message };
      this.known.set(e, s);
    }
    return s;
  }
}

/** What one part of a trace says of an error group, per sequence: root-cause tables and matrix cells. */
export interface ErrorGroupPart {
  readonly causes: ReadonlyMap<string, CauseTable>;
  readonly cells: ReadonlyMap<string, MatrixCell>;
}

/**
 * Each error group's root-cause tables and matrix cells in `ctx` (the whole trace, or one part of a store: the
 * parts' add up), by group key: the groups of `all` (a part's runs count for every group of the store, failing
 * there or not), counting the errors of `ctx`. `onlyFailing`: count the runs of the sequences the group failed
 * in only, which is all that is judged when `ctx` holds every run.
 */
export function errorGroupParts(
  ctx: FindingContext,
  signatures: ErrorSignatures,
  all: readonly HandlerError[] = ctx.data.errors,
  onlyFailing = false,
): Map<string, ErrorGroupPart> {
  const causes = new CauseIndex(ctx);
  const here = groupBy(ctx.data.errors, (e) => signatures.of(e).key);
  const out = new Map<string, ErrorGroupPart>();
  for (const [key, group] of groupBy(all, (e) => signatures.of(e).key)) {
    const { handler, pluginId } = group[0]!;
    const errors = here.get(key) ?? [];
    const failing = onlyFailing ? new Set(distinct(errors.map((e) => sequenceOf(ctx, e)))) : undefined;
    out.set(key, {
      causes: causes.tables(handler, pluginId, errors, failing),
      cells: matrixCells(ctx, handler, pluginId, errors),
    });
  }
  return out;
}

/**
 * With the findings, the matrix, and `notes`: what limited the stack frames' mapping (source maps too large to
 * read). `whole`: group and count these errors, over these executions, instead of the context's. `parts`: the
 * groups' tables and cells from every part of the store (`errorGroupParts`), when `ctx` holds none of its handler
 * runs; without them they are read from `ctx`.
 */
export function handlerErrorFindings(
  ctx: FindingContext,
  whole?: WholeStoreErrors,
  parts?: readonly ReadonlyMap<string, ErrorGroupPart>[],
): {
  findings: Finding[];
  matrix: ErrorMatrix;
  notes: readonly string[];
} {
  const frames = new FrameMapper(ctx.code);
  const signatures = new ErrorSignatures(frames);
  const groupParts = parts ?? [errorGroupParts(ctx, signatures, ctx.data.errors, true)];
  const counted = whole
    ? new Map(whole.executions.map((h) => [handlerKey(h.handler, h.pluginId), h.executions]))
    : new Map([...ctx.executions].map(([key, runs]) => [key, runs.length]));
  const signed = (whole?.errors ?? ctx.data.errors).map((e) => ({ error: e, ...signatures.of(e) }));
  const found: { finding: Finding; cells: ReadonlyMap<string, MatrixCell> }[] = [];
  for (const [key, group] of groupBy(signed, (f) => f.key)) {
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
    const pieces = groupParts.flatMap((p) => p.get(key) ?? []);
    const hints = causeHints(pieces.map((p) => p.causes));
    const cells = new Map<string, MatrixCell>();
    for (const p of pieces) addCells(cells, p.cells);
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
    found.push({ finding, cells });
  }
  return { findings: found.map((f) => f.finding), matrix: errorMatrix(found), notes: frames.notes };
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
