/**
 * Plugin mount lines (docs/log-formats.md §3.6) folded into one mount per attempt: attempt → augment →
 * success or failure. A success or failure with no attempt before it (.NET `Plugin registered`, a capture
 * that starts mid-mount) opens its own mount. A refused mount prints only its attempt: it stays `attempted`.
 */

import type { PluginMount } from '../entities.js';
import type { TelemetryEvent } from '../events.js';
import type { Mutable } from './drafts.js';

export function applyMountEvent(
  mounts: Mutable<PluginMount>[],
  e: Extract<TelemetryEvent, { kind: `plugin-mount-${string}` }>,
  at: { readonly sessionId: string; readonly fileId: string; readonly t: number | null; readonly line: number },
): void {
  const { line } = at;
  let m = mounts.findLast((x) => x.pluginId === e.pluginId && x.status === 'attempted');
  if (e.kind === 'plugin-mount-attempt' || m === undefined) {
    m = {
      kind: 'plugin-mount',
      id: `${at.sessionId}:p${line}`,
      sessionId: at.sessionId,
      pluginId: e.pluginId,
      status: 'attempted',
      augmented: false,
      error: null,
      timeMs: at.t,
      span: { fileId: at.fileId, startLine: line, endLine: line },
    };
    mounts.push(m);
  }
  if (e.kind === 'plugin-mount-augment') m.augmented = true;
  if (e.kind === 'plugin-mount-success') m.status = 'succeeded';
  if (e.kind === 'plugin-mount-failure') {
    m.status = 'failed';
    m.error = e.error ?? null;
  }
  if (e.kind !== 'plugin-mount-attempt') m.span = { ...m.span, endLine: line };
}
