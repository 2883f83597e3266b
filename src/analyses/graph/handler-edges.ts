/**
 * The observed `runs` edges of the graph (sequence → handler, per beat event) with their numbers, accumulated one
 * handler run at a time: from the trace's handler runs on a store that fits, or from the store's streamed
 * handler-run facts (`aggregateStore`) on one that does not, so the edges cover every run either way.
 */
import type { HandlerRun, SequenceRun } from '../../model/index.js';
import { gather, groupPositions } from '../../model/position-groups.js';
import type { HandlerRunFact } from '../../store/handler-run-facts.js';
import { RowColumns } from '../row-columns.js';

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
  /** Handler times, ms, of the timed runs, in arrival order. */
  readonly durations: Float64Array;
}

/** A group while runs arrive: its timed runs' times are rows of `HandlerEdgeAccumulator.timed`. */
type OpenGroup = Omit<HandlerEdgeGroup, 'durations'> & { readonly index: number };

/** A map's value at `key`, created empty on first use. */
function level<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let next = map.get(key);
  if (next === undefined) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

/** Groups by plugin, handler, then event. */
type HandlerTree = Map<string, Map<string, Map<string, OpenGroup>>>;

const TIMED_COLUMNS = { group: Int32Array, ms: Float64Array };

export class HandlerEdgeAccumulator {
  /**
   * Groups by sequence id, sequence name and whether the run is known, then plugin, handler and event: one map per
   * key part, looked up in turn, so a run finds its group without a string or an array built per run (a million
   * of either cost a second of a large store's analysis). The runs of one sequence run come together and share its
   * name and id, so the last sequence part is kept and most runs look up only the last three.
   */
  private readonly groups = new Map<string, Map<string, HandlerTree[]>>();
  private lastSequenceId: string | null | undefined;
  private lastSequenceName: string | null | undefined;
  private lastRunKnown = false;
  private lastHandlers: HandlerTree | undefined;
  /** `groups` in first-seen order. */
  private readonly inOrder: OpenGroup[] = [];
  /** Each timed run's group (its index in `inOrder`) and time, ms (row-columns.ts). */
  private readonly timed: RowColumns<typeof TIMED_COLUMNS>;

  /** `expected`: about how many runs will be added (a store's handler runs), when known. */
  constructor(expected = 0) {
    this.timed = new RowColumns(TIMED_COLUMNS, expected);
  }

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
    const { group, ms } = this.timed.rows();
    const { offsets, items } = groupPositions(group, this.inOrder.length);
    // One buffer of every time by group, each group's a view of it: a buffer per group is external memory V8
    // answers with collections (graph-builder.ts `p95Of`).
    const byGroup = gather(new Float64Array(items.length), ms, items);
    return this.inOrder.map(({ index, ...g }) => ({
      ...g,
      durations: byGroup.subarray(offsets[index]!, offsets[index + 1]!),
    }));
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
    let handlers = this.lastHandlers;
    if (
      handlers === undefined ||
      sequenceId !== this.lastSequenceId ||
      sequenceName !== this.lastSequenceName ||
      runKnown !== this.lastRunKnown
    ) {
      const byName = level(this.groups, sequenceId ?? '');
      let byKnown = byName.get(sequenceName ?? '');
      if (byKnown === undefined) {
        byKnown = [];
        byName.set(sequenceName ?? '', byKnown);
      }
      handlers = byKnown[runKnown ? 1 : 0];
      if (handlers === undefined) {
        handlers = new Map();
        byKnown[runKnown ? 1 : 0] = handlers;
      }
      this.lastSequenceId = sequenceId;
      this.lastSequenceName = sequenceName;
      this.lastRunKnown = runKnown;
      this.lastHandlers = handlers;
    }
    const byEvent = level(level(handlers, pluginId ?? ''), handler);
    let g = byEvent.get(event);
    if (!g) {
      const index = this.inOrder.length;
      g = { runKnown, sequenceId, sequenceName, pluginId, handler, event, count: 0, failed: 0, index };
      byEvent.set(event, g);
      this.inOrder.push(g);
    }
    g.count++;
    if (failed) g.failed++;
    if (durationMs !== null) {
      const i = this.timed.add();
      this.timed.columns.group[i] = g.index;
      this.timed.columns.ms[i] = durationMs;
    }
  }
}
