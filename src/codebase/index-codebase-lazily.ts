/**
 * `indexCodebase` as the library exports it: the indexer, and with it the TypeScript compiler (~0.2 s to load),
 * is imported on the first call, so `import … from 'beatscope'` does not load them for callers that never index.
 */
import type { indexCodebase as IndexCodebase } from './index-codebase.js';

export async function indexCodebase(...args: Parameters<typeof IndexCodebase>): ReturnType<typeof IndexCodebase> {
  return (await import('./index-codebase.js')).indexCodebase(...args);
}
