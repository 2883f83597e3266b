/** Public surface of the code indexer. */
export type { ReadFacts, StoredFacts, StoredState } from './code-state.js';
export { decodeState, encodeState } from './code-state.js';
export type { ObservedBeat, ObservedSequence, SequenceDrift } from './drift.js';
export { detectDrift } from './drift.js';
export type { CachedFile, CodeIndexState, IndexOptions, IndexStats } from './index-codebase.js';
export { indexCodebase } from './index-codebase.js';
export type { AmbiguousCode, BeatMatch, BeatQuery, FindCodeResult, HandlerFound, UnresolvedCode } from './query.js';
export { findCode, handlerOfBeat, resolveBeat } from './query.js';
