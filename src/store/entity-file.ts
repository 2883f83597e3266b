/**
 * Where an entity belongs. Every stored row carries the `file_id` of the writer that appended it (the
 * fileId passed to `beginFile`); it is not derived from ids. The fileId an entity states itself
 * (`Session.fileId`, `span.fileId`) is not stored separately but restored from `file_id`, so both
 * stores refuse an entity whose stated fileId differs from its writer's: it could not round-trip.
 * Other ids (`sessionId`, run ids) are stored verbatim; no prefix rule is relied on.
 */
import type { TraceEntity } from '../model/index.js';

/** The entity's first line: the sort key of `entities()` within a file. */
export function entityLine(entity: TraceEntity): number {
  switch (entity.kind) {
    case 'session':
      return entity.startLine;
    case 'plugin-mount':
    case 'sequence-run':
    case 'movement-run':
    case 'beat-run':
      return entity.span.startLine;
    case 'gap':
      return entity.beforeLine;
    default:
      return entity.line;
  }
}

export function checkEntityFile(entity: TraceEntity, fileId: string): void {
  const stated = entity.kind === 'session' ? entity.fileId : 'span' in entity ? entity.span.fileId : fileId;
  if (stated !== fileId) {
    throw new Error(`${entity.kind} of file ${stated} appended to the writer of file ${fileId}`);
  }
}
