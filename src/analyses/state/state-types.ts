/** Per DataBaton key: who writes it, who reads it, and conflicting writes. JSON schema `beatscope/state` v1. */
import type { PayloadReader, UnknownRead } from '../payload-readers.js';

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
  /**
   * Shapes of the values this writer gave the key, as the lines' previews show them (value-shape.ts), most
   * frequent first, at most SHAPES_PER_WRITER; a line whose preview omits the key counts for none.
   */
  readonly shapes: readonly { readonly shape: string; readonly count: number }[];
}

/** A handler whose source reads the key (`ctx.payload.k`, found by the code index), at its first read. */
export type KeyReader = PayloadReader;

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
  /** Static reads from handler source (empty without a code index: see `readersIndexed`). */
  readonly readers: readonly KeyReader[];
  readonly conflicts: readonly KeyConflict[];
  /** Requests with a conflict on this key (conflicts lists at most CONFLICTS_PER_KEY of them). */
  readonly conflictCount: number;
}

/** One DataBaton change line of a request, in log order (`report state --request <id>`). */
export interface RequestStep {
  readonly sequence: string;
  readonly beat: number | null;
  readonly event: string;
  /** Null for a beat-level line. */
  readonly handler: string | null;
  readonly plugin: string | null;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  /** The line's preview (≤ 200 characters, often cut), as logged. */
  readonly preview: string | null;
  readonly timeMs: number | null;
  readonly logFile: string;
  readonly logLine: number;
}

export interface StateReport {
  /** The `report state <key>` filter, or null for every key. */
  readonly key: string | null;
  /**
   * Whether readers come from a code index that read handler source for keys; without one no key is called
   * unread (`writtenNotRead` and `readNotWritten` are then 0).
   */
  readonly readersIndexed: boolean;
  readonly summary: {
    readonly keys: number;
    readonly writes: number;
    readonly keysWithConflicts: number;
    /** Change lines that name no handler (beat-level): counted, not attributed. */
    readonly unattributedWrites: number;
    /** Keys production writes that no handler's source reads. */
    readonly writtenNotRead: number;
    /** Keys some handler's source reads that no production DataBaton line wrote. */
    readonly readNotWritten: number;
  };
  /** Keys written or read, by key. */
  readonly keys: readonly KeyState[];
  /** Handlers whose reads cannot all be named (computed key, payload passed on): their reads are unknown. */
  readonly unknownReads: readonly UnknownRead[];
  /** `report state --request <id>`: that request's change lines, beat by beat; null without the option. */
  readonly request: { readonly requestId: string; readonly steps: readonly RequestStep[] } | null;
  readonly notes: readonly string[];
}
