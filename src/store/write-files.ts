/**
 * The parts of `TelemetryStore.writeFiles` every store shares: the group's fileIds claimed among the store's open
 * writers, and each file written through the store's own file writer, in order, inside the group's transaction.
 */
import type { FileToWrite, FileWriter } from './telemetry-store.js';

/** Runs `body` with `files`' ids claimed in `writers`; one already open, or listed twice, is refused first. */
export async function withClaimedFiles(
  writers: Map<string, unknown>,
  files: readonly FileToWrite[],
  body: () => Promise<void>,
): Promise<void> {
  const ids = files.map((f) => f.fileId);
  const taken = ids.find((id, i) => writers.has(id) || ids.indexOf(id) !== i);
  if (taken !== undefined) throw new Error(`a writer of file ${taken} is already open on this store`);
  for (const id of ids) writers.set(id, null);
  try {
    await body();
  } finally {
    for (const id of ids) writers.delete(id);
  }
}

/**
 * Each file's writer from `begin`, its batches and its commit, one file after the other. A writer whose append or
 * commit fails is aborted before the error goes on (in a group, that leaves the rollback to the group).
 */
export async function writeEach(
  files: readonly FileToWrite[],
  begin: (file: FileToWrite) => Promise<FileWriter>,
): Promise<void> {
  for (const file of files) {
    const writer = await begin(file);
    try {
      for (const batch of file.batches) await writer.appendColumns(batch);
      await writer.commit(file.info);
    } catch (error) {
      await writer.abort().catch(() => undefined);
      throw error;
    }
  }
}
