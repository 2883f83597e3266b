/**
 * The flow validator's violations as findings, one per cause: violations of the same kind about the same
 * sequence, beat, event and handler with the same message (numbers masked) are one finding with a count, not
 * one per run. Handler errors are left to `handler-error` (grouped by message and stack there). Failed plugin
 * mounts become `mount-failure` findings.
 */

import { groupBy } from '../collections.js';
import type { FlowReport, Violation, ViolationSeverity } from '../flow-types.js';
import { distinct, type FindingContext, seenRange } from './finding-context.js';
import { describeRate, plural, quoteCode, sourceText } from './finding-text.js';
import type { Finding, FindingKind, FindingSeverity } from './findings-types.js';
import { fingerprint, normalizeMessage } from './fingerprint.js';

const SEVERITY: Record<ViolationSeverity, FindingSeverity> = { error: 'error', warning: 'warning', info: 'note' };

/** What a developer does about each kind, appended to its explanation. */
const ADVICE: Partial<Record<FindingKind, string>> = {
  'missing-beat': 'Check that the running build mounts this beat and that nothing before it stops the movement.',
  'unexpected-event':
    'The run executed an event its definition does not have: update the definition or the code that publishes it.',
  'order-violation':
    'Beats ran out of their defined order: check the definition’s beat numbers and any beat started from a handler.',
  'handler-mismatch':
    'The defined handler never settled: check it is exported under this name and mounted for this plugin.',
  'incomplete-run':
    'The run never completed or failed in the log: look for a handler that never settles, or a capture cut short.',
  'failed-run': 'The sequence failed: open the evidence to see the beat and error that stopped it.',
  'failed-beat': 'The beat failed: its handler threw or returned a rejected promise the conductor did not catch.',
  'beat-count-mismatch': 'The run declared more movements than ran: a movement was skipped or the run was cut short.',
  drift:
    'Production and the code disagree: deploy the current definition, or update the definition to what production runs.',
  'never-run': 'Defined but never run in these logs: dead code, or a flow no session exercised.',
  'orphan-subscription':
    'Subscribers wait for an event no sequence publishes: remove the subscription or the sequence that should publish it is missing.',
  'unmounted-route': 'The manifest routes to a sequence that was never mounted: the route cannot work.',
  'mount-failure': 'The plugin failed to mount, so none of its sequences can run: fix the error shown.',
};

/**
 * `runsPerSequence`: runs by sequence (id, else name) over what `flows` covers, for run-level rates (of a store
 * read part by part, `ctx` holds only the runs and beats the violations name, for their lines and times).
 */
export function flowFindings(
  ctx: FindingContext,
  flows: FlowReport,
  runsPerSequence: ReadonlyMap<string, number>,
): Finding[] {
  const lineOf = (v: Violation) =>
    ctx.beat(v.beatRunId)?.span.startLine ?? (v.runId ? ctx.runs.get(v.runId)?.span.startLine : undefined) ?? null;
  const timeOf = (v: Violation) =>
    ctx.beat(v.beatRunId)?.startMs ?? (v.runId ? ctx.runs.get(v.runId)?.startMs : undefined) ?? null;

  const relevant = flows.violations.filter((v) => v.kind !== 'handler-error');
  const groups = groupBy(relevant, (v) =>
    [
      v.kind,
      v.sequenceId ?? v.sequenceName ?? '',
      v.beat ?? '',
      v.event ?? '',
      v.handler ?? '',
      normalizeMessage(v.message),
    ].join('\u0000'),
  );
  const findings: Finding[] = [];
  for (const unordered of groups.values()) {
    const group = [...unordered].sort(
      (a, b) => (timeOf(a) ?? Number.POSITIVE_INFINITY) - (timeOf(b) ?? Number.POSITIVE_INFINITY),
    );
    const v = group[0]!;
    const kind = v.kind as FindingKind;
    const sequence = v.sequenceId ?? v.sequenceName;
    const perRun = group.some((g) => g.runId !== null);
    const runs = sequence ? (runsPerSequence.get(sequence) ?? runsPerSequence.get(v.sequenceName ?? '') ?? 0) : 0;
    const src = v.handler
      ? ctx.handlerSource(v.handler, v.pluginId)
      : { file: null as string | null, line: null as number | null };
    const def = ctx.sequenceDefinition(v.sequenceId, v.sequenceName);
    const file = src.file ?? def?.source.file ?? null;
    const line = src.file ? src.line : (def?.source.line ?? null);
    const sessions = distinct(group.map((g) => g.sessionId));
    const message = normalizeMessage(v.message);
    const subject = sequence ? quoteCode(sequence) : 'the app';
    const how = perRun && runs > 0 ? ` ${describeRate(group.length, Math.max(runs, group.length), 'run')}` : '';
    const across = sessions.length > 0 ? ` across ${plural(sessions.length, 'session')}` : '';
    const where = sourceText(file, line);
    findings.push({
      id: fingerprint([kind, v.pluginId, sequence, v.beat, v.event, v.handler, message]),
      kind,
      severity: SEVERITY[v.severity],
      title: `${sequence ?? v.pluginId ?? 'app'}: ${v.message}`,
      explanation: [
        `${subject}${v.pluginId ? ` (${v.pluginId})` : ''}: ${v.message}${how}${across}.`,
        ADVICE[kind] ?? '',
        where ? `Look at ${where}.` : '',
      ]
        .filter((s) => s !== '')
        .join(' '),
      plugin: v.pluginId,
      handler: v.handler,
      sequence,
      event: v.event,
      file,
      line,
      count: group.length,
      rate: perRun && runs > 0 ? group.length / Math.max(runs, group.length) : null,
      ...seenRange(group.map(timeOf)),
      sessions,
      logFiles: distinct(sessions.map((s) => ctx.logFileOf(s))),
      evidence: ctx.evidence(
        group.map((g) => ({ sessionId: g.sessionId, line: lineOf(g), runId: g.runId, beatRunId: g.beatRunId })),
      ),
      message,
    });
  }
  return [...findings, ...mountFailures(ctx)];
}

function mountFailures(ctx: FindingContext): Finding[] {
  const failed = ctx.data.mounts.filter((m) => m.status === 'failed');
  const groups = groupBy(failed, (m) => `${m.pluginId}\u0000${normalizeMessage(m.error ?? '')}`);
  return [...groups.values()].map((group) => {
    const m = group[0]!;
    const attempts = ctx.data.mounts.filter((x) => x.pluginId === m.pluginId && !x.augmented).length;
    const sessions = distinct(group.map((g) => g.sessionId));
    const message = normalizeMessage(m.error ?? '');
    return {
      id: fingerprint(['mount-failure', m.pluginId, message]),
      kind: 'mount-failure' as const,
      severity: 'error' as const,
      title: `${m.pluginId} failed to mount${m.error ? `: ${m.error}` : ''}`,
      explanation: `${quoteCode(m.pluginId)} failed to mount ${describeRate(group.length, Math.max(attempts, group.length), 'attempt')} across ${plural(sessions.length, 'session')}${m.error ? ` with ${quoteCode(m.error)}` : ''}. ${ADVICE['mount-failure']}`,
      plugin: m.pluginId,
      handler: null,
      sequence: null,
      event: null,
      file: null,
      line: null,
      count: group.length,
      rate: group.length / Math.max(attempts, group.length),
      ...seenRange(group.map((g) => g.timeMs)),
      sessions,
      logFiles: distinct(sessions.map((s) => ctx.logFileOf(s))),
      evidence: ctx.evidence(group.map((g) => ({ sessionId: g.sessionId, line: g.span.startLine }))),
      message,
    };
  });
}
