/**
 * App-level findings of the flow validator, code against what the sessions mounted and ran: defined sequences
 * that never ran, subscriptions with no definition behind them, and manifest topic routes to sequences no
 * session mounted.
 */
import type { CodeIndex, SequenceDefinition } from '../model/code-index.js';
import { compareStrings } from './collections.js';
import { type SequenceDefinitions, violation } from './flow-definitions.js';
import type { Violation } from './flow-types.js';
import type { TraceData } from './trace-data.js';

/** Sequences some session registered (mounted), by id and by name. */
export function mountedSequences(data: TraceData): { has(def: { id: string | null; name: string | null }): boolean } {
  const ids = new Set(data.registrations.map((r) => r.sequenceId).filter((s) => s !== null));
  const names = new Set(data.registrations.map((r) => r.sequenceName).filter((s) => s !== null));
  return { has: (d) => (d.id !== null && ids.has(d.id)) || (d.name !== null && names.has(d.name)) };
}

export function neverRun(
  defs: SequenceDefinitions,
  ran: ReadonlySet<SequenceDefinition>,
  data: TraceData,
): Violation[] {
  const mounted = mountedSequences(data);
  return defs
    .all()
    .filter((d) => !ran.has(d))
    .sort((a, b) => compareStrings(a.id, b.id))
    .map((d) =>
      violation(
        'never-run',
        'info',
        `defined in ${d.source.file} but never ran${mounted.has(d) ? ' (mounted)' : ' (never mounted either)'}`,
        { sequenceId: d.id, sequenceName: d.name, pluginId: d.pluginId },
      ),
    );
}

/** Subscriptions a mount made for a sequence (or plugin) the code index does not define. Cleanup ones are skipped. */
export function orphanSubscriptions(data: TraceData, defs: SequenceDefinitions): Violation[] {
  const pluginsDefined = new Set(defs.all().map((d) => d.pluginId));
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const s of data.subscriptions) {
    if (s.cleanup || (s.pluginId === null && s.sequenceId === null)) continue;
    const defined =
      s.sequenceId !== null ? defs.find(s.sequenceId, null) !== undefined : pluginsDefined.has(s.pluginId);
    const key = `${s.pluginId}\u0000${s.sequenceId}\u0000${s.event}`;
    if (defined || seen.has(key)) continue;
    seen.add(key);
    const owner = s.sequenceId ?? s.pluginId;
    out.push(
      violation(
        'orphan-subscription',
        'warning',
        `subscribed to ${s.event} for ${owner}, which no sequence definition has`,
        {
          sequenceId: s.sequenceId,
          pluginId: s.pluginId,
          sessionId: s.sessionId,
          event: s.event,
        },
      ),
    );
  }
  return out;
}

/** Topic routes of the manifest whose sequence no session mounted. Without sessions there is nothing to compare. */
export function unmountedRoutes(code: CodeIndex, data: TraceData): Violation[] {
  if (data.sessions.length === 0) return [];
  const mounted = mountedSequences(data);
  return code.topics
    .filter((t) => !mounted.has({ id: t.sequenceId, name: null }))
    .map((t) =>
      violation(
        'unmounted-route',
        'warning',
        `topic ${t.topic} routes to ${t.pluginId}/${t.sequenceId}, which no session mounted`,
        {
          sequenceId: t.sequenceId,
          pluginId: t.pluginId,
          event: t.topic,
        },
      ),
    );
}
