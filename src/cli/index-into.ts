import { resolve } from 'node:path';
import { type CodeIndexState, indexCodebase } from '../codebase/index.js';
import type { CodeIndex } from '../model/index.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

/**
 * Indexes `repo` into the store (`index`, `analyze --code`, `demo`). The stored incremental state is
 * reused when it is the same root, so only changed files are parsed again.
 */
export async function indexInto(
  store: TelemetryStore,
  repo: string,
): Promise<{ index: CodeIndex; state: CodeIndexState }> {
  const root = resolve(repo);
  const previous = await store.loadCodeIndex();
  const prevState = previous?.index.root === root ? (previous.state as CodeIndexState) : undefined;
  const { index, state } = await indexCodebase(root, { previous: prevState });
  await store.saveCodeIndex({ index, state, indexedAtMs: Date.now() });
  return { index, state };
}
