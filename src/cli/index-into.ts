import { resolve } from 'node:path';
import type { CodeIndexState } from '../codebase/index.js';
import type { CodeIndex } from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

/**
 * Indexes `repo` into the store (`index`, `analyze --code`, `demo`). The stored incremental state is
 * reused when it is the same root: only changed files are parsed again, only what they reach is linked
 * again, and only their per-file state is written back. Keep the store open while the returned state may be
 * re-indexed from (it reads facts from the store on demand).
 */
export async function indexInto(
  store: TelemetryStore,
  repo: string,
): Promise<{ index: CodeIndex; state: CodeIndexState }> {
  // The indexer loads the TypeScript compiler (~0.2 s): only commands that index a repo load it.
  const { decodeState, encodeState, indexCodebase } = await import('../codebase/index.js');
  const root = resolve(repo);
  const previous = await store.loadCodeIndex();
  const stored =
    previous?.index.root === root
      ? decodeState(previous.state, previous.index, (paths) => store.loadCodeFiles(paths))
      : undefined;
  const { index, state } = await indexCodebase(root, { previous: stored });
  const encoded = await encodeState(state, index, stored);
  await store.saveCodeIndex({ index, state: encoded.state, indexedAtMs: Date.now(), files: encoded.facts });
  return { index, state };
}
