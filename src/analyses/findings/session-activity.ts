/**
 * Which sessions of a store a finder can say something about, learned in the whole-store passes (the handler-run
 * facts and the runs-with-parts streams) before a large store is read in parts (findings-parts.ts). A part none of
 * whose sessions is `judged` holds nothing any finder reports, so it is not read: its runs are counted here.
 *
 * A session is judged when it holds
 * - a handler error or a handler run that failed (handler errors, error bursts, the matrix),
 * - an execution of a handler that throws anywhere in the store (the root-cause hints and the matrix compare the
 *   runs where it threw with the runs where it did not, over the whole store),
 * - a failed sequence run (sequence bursts count them),
 * and, added by `findingsByPart`, a flow violation located in it (its run and beat are kept) or a stretch of slow
 * executions (latency-anomalies.ts `slowSessions`).
 */
import type { HandlerError } from '../../model/entities.js';
import type { HandlerRunFact } from '../../store/handler-run-facts.js';
import type { RunParts } from '../../store/run-parts.js';
import { HandlerTable } from '../trace-index.js';
import { sequenceKey } from './finding-context.js';

export class SessionActivity {
  /** Sessions judged so far (see the file header). */
  readonly judged = new Set<string>();
  /** Handler runs seen, and those with a time. */
  handlerRuns = 0;
  timedHandlerRuns = 0;
  /** Sequence runs seen, per sequence (`sequenceKey`). */
  readonly runsPerSequence = new Map<string, number>();
  /** Handlers with an error. */
  private readonly throwing = new HandlerTable();

  /** `errors`: the store's handler errors (its small kinds, read before the passes). */
  constructor(errors: readonly HandlerError[]) {
    for (const e of errors) {
      this.judged.add(e.sessionId);
      this.throwing.intern(e.pluginId, e.handler);
    }
  }

  /** A batch of the store's handler-run facts. */
  addFacts(batch: readonly HandlerRunFact[]): void {
    this.handlerRuns += batch.length;
    for (const f of batch) {
      if (f.durationMs !== null) this.timedHandlerRuns++;
      if (f.status === 'error' || this.throwing.find(f.pluginId, f.handler) !== undefined) this.judged.add(f.sessionId);
    }
  }

  /** A batch of the store's runs with their parts. */
  addRuns(batch: readonly RunParts[]): void {
    for (const { run } of batch) {
      const key = sequenceKey(run);
      this.runsPerSequence.set(key, (this.runsPerSequence.get(key) ?? 0) + 1);
      if (run.status === 'failed') this.judged.add(run.sessionId);
    }
  }
}
