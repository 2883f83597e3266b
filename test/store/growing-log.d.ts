import type { ContentPrint, FileInfo, TraceEntity } from '../../src/model/index.js';
export interface GrowingLogRound {
    readonly info: FileInfo;
    readonly print: ContentPrint | null;
    /** Every entity a parse of the file at this round makes, in the order the parse hands them out. */
    readonly entities: readonly TraceEntity[];
}
/** A real capture of the real musical-conductor (test/fixtures/README.md): every kind an extend can drop. */
export declare const GROWING_LOG: string;
/** One round per fraction of the log's lines (the last one should be 1: the whole log). */
export declare function readGrowingLog(fileId: string, fractions: readonly number[], log?: string): Promise<GrowingLogRound[]>;
