/** Per DataBaton key: who writes it, who reads it, and conflicting writes. JSON schema `beatscope/state` v1. */

export interface KeyWriter {
  readonly plugin: string | null;
  readonly handler: string;
  /** The sequence of the run the handler ran in (its `seq=` name when the run is unknown). */
  readonly sequence: string;
  /** Handler-level DataBaton lines of this writer that touch the key. */
  readonly count: number;
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
  /** Epoch ms of the first and last such line; null when the lines carry no time. */
  readonly firstMs: number | null;
  readonly lastMs: number | null;
}

export interface KeyReader {
  readonly plugin: string | null;
  readonly handler: string;
  readonly file: string;
  readonly line: number;
}

/** Two or more handlers writing the same key within one request (one sequence run's request id). */
export interface KeyConflict {
  readonly requestId: string;
  /** `plugin/handler` of each writer, in log order. */
  readonly handlers: readonly string[];
  /** Epoch ms of the first write in the request; null when untimed. */
  readonly atMs: number | null;
}

export interface KeyState {
  readonly key: string;
  readonly writers: readonly KeyWriter[];
  /** Static reads from handler source: empty until the code index extracts them (`readersIndexed`). */
  readonly readers: readonly KeyReader[];
  readonly conflicts: readonly KeyConflict[];
  /** Requests with a conflict on this key (conflicts lists at most CONFLICTS_PER_KEY of them). */
  readonly conflictCount: number;
}

export interface StateReport {
  /** The `report state <key>` filter, or null for every key. */
  readonly key: string | null;
  /** Whether readers come from an index of static reads; false today, so no key is called unread. */
  readonly readersIndexed: boolean;
  readonly summary: {
    readonly keys: number;
    readonly writes: number;
    readonly keysWithConflicts: number;
    /** Change lines that name no handler (beat-level): counted, not attributed. */
    readonly unattributedWrites: number;
  };
  readonly keys: readonly KeyState[];
  readonly notes: readonly string[];
}
