/**
 * The observed `runs` edges of the graph (sequence → handler, per beat event) with their numbers, accumulated one
 * handler run at a time: from the trace's handler runs on a store that fits, or from the store's streamed
 * handler-run facts (`aggregateStore`) on one that does not, so the edges cover every run either way.
 */
import type { HandlerRun, SequenceRun } from '../../model/index.js';
import type { HandlerRunFact } from '../../store/handler-run-facts.js';
import { TupleMap } from '../collections.js';

/** One group of handler runs: same sequence (as its run names it), plugin, handler and event. */
export interface HandlerEdgeGroup {
  /** Whether the runs belong to a known sequence run; else `sequenceName` is the handler line's `seq=` name. */
  readonly runKnown: boolean;
  readonly sequenceId: string | null;
  readonly sequenceName: string | null;
  /** The handler line's `plugin=`, else its run's; null when neither names one. */
  readonly pluginId: string | null;
  readonly handler: string;
  readonly event: string;
  count: number;
  failed: number;
  /** Handler times, ms, of the timed runs. */
  readonly durations: number[];
}

export class HandlerEdgeAccumulator {
  private readonly groups = new TupleMap<HandlerEdgeGroup>();
  /** `groups` in first-seen order. */
  private readonly inOrder: HandlerEdgeGroup[] = [];

  /** A handler run with its sequence run (undefined when unknown). */
  addRun(h: HandlerRun, run: SequenceRun | undefined): void {
    this.add(
      run !== undefined,
      run ? run.sequenceId : null,
      run ? run.sequenceName : h.sequenceName,
      h.pluginId ?? run?.pluginId ?? null,
      h.handler,
      h.event,
      h.status === 'error',
      h.durationMs,
    );
  }

  addFacts(batch: readonly HandlerRunFact[]): void {
    for (const f of batch) {
      const known = f.runSequenceName !== null;
      this.add(
        known,
        known ? f.runSequenceId : null,
        known ? f.runSequenceName : f.sequenceName,
        f.pluginId ?? f.runPluginId,
        f.handler,
        f.event,
        f.status === 'error',
        f.durationMs,
      );
    }
  }

  groupsInOrder(): HandlerEdgeGroup[] {
    return [...this.inOrder];
  }

  private add(
    runKnown: boolean,
    sequenceId: string | null,
    sequenceName: string | null,
    pluginId: string | null,
    handler: string,
    event: string,
    failed: boolean,
    durationMs: number | null,
  ): void {
    // A null and an empty id or name group together, as they always have.
    const key = [handler, event, pluginId ?? '', sequenceName ?? '', sequenceId ?? '', runKnown ? '1' : '0'];
    let g = this.groups.get(key);
    if (!g) {
      g = { runKnown, sequenceId, sequenceName, pluginId, handler, event, count: 0, failed: 0, durations: [] };
      this.groups.set(key, g);
      this.inOrder.push(g);
    }
    g.count++;
    if (failed) g.failed++;
    if (durationMs !== null) g.durations.push(durationMs);
  }
}
