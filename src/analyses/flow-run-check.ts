/**
 * Checks of one sequence run: from the log alone (status, failed beats, handler errors, beat counts against the
 * counts the conductor declared) and, with a definition, beat by beat (missing, unexpected, out of order, wrong
 * handler). Beats already reported as drift are left out here, so a drifted beat is one finding, not one per run.
 */
import type { SequenceDefinition } from '../model/code-index.js';
import type { BeatRun, HandlerError, MovementRun, SequenceRun } from '../model/entities.js';
import { type FlatBeat, flattenBeats, type SequenceDefinitions, violation } from './flow-definitions.js';
import type { SequenceDrift, Violation } from './flow-types.js';

export interface RunEvidence {
  readonly run: SequenceRun;
  /** In log order. */
  readonly beats: readonly BeatRun[];
  readonly movements: readonly MovementRun[];
  readonly errors: readonly HandlerError[];
}

export function checkRunFromLog({ run, beats, movements, errors }: RunEvidence): Violation[] {
  const at = {
    sequenceId: run.sequenceId,
    sequenceName: run.sequenceName,
    pluginId: run.pluginId,
    sessionId: run.sessionId,
    runId: run.id,
  };
  const out: Violation[] = [];
  if (run.status === 'incomplete' || run.status === 'stopped') {
    out.push(
      violation(
        'incomplete-run',
        'warning',
        `run ${run.status === 'stopped' ? 'was stopped' : 'never completed'} (${beats.length} beat(s) seen)`,
        at,
      ),
    );
  }
  if (run.status === 'failed')
    out.push(violation('failed-run', 'error', `run failed${run.error ? `: ${run.error}` : ''}`, at));
  for (const b of beats.filter((b) => b.status === 'failed')) {
    out.push(
      violation('failed-beat', 'error', `beat ${b.beat} failed${b.error ? `: ${b.error}` : ''}`, {
        ...at,
        beatRunId: b.id,
        beat: b.beat,
        event: b.event,
      }),
    );
  }
  for (const e of errors) {
    const beat = beats.find((b) => b.id === e.beatRunId);
    const still = e.beatStillCompleted ? ' (the beat still completed)' : '';
    out.push(
      violation('handler-error', 'error', `${e.pluginId}.${e.handler} threw: ${e.message}${still}`, {
        ...at,
        beatRunId: e.beatRunId,
        beat: beat?.beat ?? null,
        event: beat?.event ?? null,
        handler: e.handler,
      }),
    );
  }
  if (run.status !== 'completed') return out;
  for (const m of movements) {
    const seen = beats.filter((b) => b.movementRunId === m.id).length;
    if (m.declaredBeats !== null && seen !== m.declaredBeats) {
      out.push(
        violation(
          'beat-count-mismatch',
          'warning',
          `movement "${m.name}" declared ${m.declaredBeats} beat(s), ${seen} ran`,
          at,
        ),
      );
    }
  }
  const total = movements.find((m) => m.total !== null)?.total ?? null;
  if (total !== null && movements.length !== total) {
    out.push(
      violation('beat-count-mismatch', 'warning', `run declared ${total} movement(s), ${movements.length} ran`, at),
    );
  }
  return out;
}

export function checkRunAgainstDefinition(
  { run, beats }: RunEvidence,
  def: SequenceDefinition,
  drift: SequenceDrift | undefined,
  defs: SequenceDefinitions,
): Violation[] {
  const at = {
    sequenceId: def.id,
    sequenceName: def.name,
    pluginId: run.pluginId ?? def.pluginId,
    sessionId: run.sessionId,
    runId: run.id,
  };
  const defined = flattenBeats(def);
  const driftMissing = new Set(drift?.missingInRuns.map((d) => d.event ?? `#${d.beat}`));
  const driftExtra = new Set(drift?.extraInRuns.map((d) => d.event));
  const driftHandler = new Set(drift?.handlerChanged.map((d) => d.event));
  const used = new Set<FlatBeat>();
  const pairs: [BeatRun, FlatBeat][] = [];
  const out: Violation[] = [];

  for (const b of beats) {
    const match = defined.find((d) => !used.has(d) && (b.event !== null ? d.event === b.event : d.beat === b.beat));
    if (match) {
      used.add(match);
      pairs.push([b, match]);
    } else if (!driftExtra.has(b.event)) {
      out.push(
        violation(
          'unexpected-event',
          'error',
          `beat ${b.beat} ran event ${b.event ?? '(none)'}, which the definition does not have`,
          { ...at, beatRunId: b.id, beat: b.beat, event: b.event, handler: b.handlers[0] ?? null },
        ),
      );
    }
  }
  if (run.status === 'completed') {
    for (const d of defined.filter((d) => !used.has(d) && !driftMissing.has(d.event ?? `#${d.beat}`))) {
      out.push(
        violation('missing-beat', 'error', `defined beat ${d.beat} (${d.event ?? 'no event'}) did not run`, {
          ...at,
          beat: d.beat,
          event: d.event,
          handler: d.handler,
        }),
      );
    }
  }
  let furthest = -1;
  for (const [b, d] of pairs) {
    if (d.order < furthest) {
      out.push(
        violation('order-violation', 'error', `beat ${d.beat} (${d.event}) ran after a beat defined later`, {
          ...at,
          beatRunId: b.id,
          beat: d.beat,
          event: d.event,
        }),
      );
    }
    furthest = Math.max(furthest, d.order);
  }
  // Handler-level lines may be missing from a whole log (no DataBaton handler lines): judge only with handler info.
  const hasHandlerInfo = beats.some((b) => b.handlers.length > 0);
  if (!hasHandlerInfo) return out;
  for (const [b, d] of pairs) {
    const where = { ...at, beatRunId: b.id, beat: d.beat, event: d.event };
    if (d.handler !== null && !driftHandler.has(d.event)) {
      if (b.handlers.length === 0 && run.status === 'completed') {
        out.push(
          violation('handler-mismatch', 'error', `handler ${d.handler} of beat ${d.beat} never settled`, {
            ...where,
            handler: d.handler,
          }),
        );
      } else if (b.handlers.length > 0 && !b.handlers.includes(d.handler)) {
        out.push(
          violation(
            'handler-mismatch',
            'error',
            `beat ${d.beat} ran ${b.handlers.join(', ')} instead of ${d.handler}`,
            { ...where, handler: b.handlers[0]! },
          ),
        );
      }
    }
    for (const h of b.handlers.filter(
      (h) => h !== d.handler && !defs.handlesEvent(b.event, h) && !driftHandler.has(d.event),
    )) {
      out.push(
        violation(
          'handler-mismatch',
          'error',
          `handler ${h} ran for ${b.event ?? `beat ${d.beat}`}; no definition names it`,
          { ...where, handler: h },
        ),
      );
    }
  }
  return out;
}
