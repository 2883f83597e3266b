/** A checker of the Chrome Trace Event rules the export must keep, used by its tests (and handy in a REPL). */
import type { ChromeTrace } from './chrome-trace.js';

/**
 * The Trace Event Format rules that can be checked mechanically: required fields per phase, positive `dur`
 * (speedscope's stack breaks on zero-length complete events: those must be instant events), scoped instant
 * events, named metadata events, complete events on one thread that nest (Perfetto drops slices that overlap
 * without nesting), flow events in `s`/`f` pairs whose end lies in a slice of its thread, names that do not
 * carry the event's own id (viewers group by name), and `otherData` naming the exporter's version and source.
 * Returns the problems found.
 */
export function checkTraceEventFormat(trace: ChromeTrace): string[] {
  const problems: string[] = [];
  if (!Array.isArray(trace.traceEvents)) return ['traceEvents is not an array'];
  if (!['ms', 'ns'].includes(trace.displayTimeUnit)) problems.push('displayTimeUnit must be ms or ns');
  if (typeof trace.otherData?.version !== 'string' || typeof trace.otherData?.source !== 'string')
    problems.push('otherData must give version and source');
  const byThread = new Map<string, { ts: number; end: number }[]>();
  const flows = new Map<number, { s: number; f: { ts: number; thread: string }[] }>();
  trace.traceEvents.forEach((e, i) => {
    const where = `event ${i} (${e.ph} ${e.name})`;
    if (typeof e.name !== 'string' || !['X', 'i', 'M', 's', 'f'].includes(e.ph))
      problems.push(`${where}: bad name or ph`);
    const id = e.args?.['id'];
    if (typeof id === 'string' && id !== '' && e.name.includes(id)) problems.push(`${where}: name carries its id`);
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) problems.push(`${where}: pid/tid must be integers`);
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0)
      problems.push(`${where}: ts must be a finite number >= 0`);
    if (e.ph === 'X') {
      if (typeof e.dur !== 'number' || !(e.dur > 0)) problems.push(`${where}: dur must be > 0 (else an instant event)`);
      const key = `${e.pid}/${e.tid}`;
      const list = byThread.get(key) ?? [];
      byThread.set(key, list);
      list.push({ ts: e.ts, end: e.ts + (e.dur ?? 0) });
    }
    if (e.ph === 'i' && !['t', 'p', 'g'].includes(e.s ?? 't')) problems.push(`${where}: bad instant scope`);
    if (e.ph === 's' || e.ph === 'f') {
      if (typeof e.id !== 'number') problems.push(`${where}: flow event without id`);
      else {
        const flow = flows.get(e.id) ?? { s: 0, f: [] };
        flows.set(e.id, flow);
        if (e.ph === 's') flow.s++;
        else if (e.bp !== 'e') problems.push(`${where}: flow end must bind to its enclosing slice (bp: 'e')`);
        else flow.f.push({ ts: e.ts, thread: `${e.pid}/${e.tid}` });
      }
    }
    if (e.ph === 'M') {
      const ok = ['process_name', 'thread_name', 'process_sort_index', 'thread_sort_index'].includes(e.name);
      if (!ok || typeof e.args !== 'object') problems.push(`${where}: unknown metadata event`);
    }
  });
  for (const [id, flow] of flows) {
    if (flow.s !== 1 || flow.f.length !== 1) problems.push(`flow ${id}: ${flow.s} starts and ${flow.f.length} ends`);
    for (const f of flow.f)
      if (!(byThread.get(f.thread) ?? []).some((x) => x.ts <= f.ts && f.ts <= x.end))
        problems.push(`flow ${id}: its end at ${f.ts} lies in no slice of thread ${f.thread}`);
  }
  for (const [thread, slices] of byThread) {
    slices.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const open: { end: number }[] = [];
    for (const s of slices) {
      while (open.length > 0 && open.at(-1)!.end <= s.ts) open.pop();
      if (open.length > 0 && s.end > open.at(-1)!.end + 1e-6)
        problems.push(`thread ${thread}: slice at ${s.ts} overlaps its parent`);
      open.push(s);
    }
  }
  return problems;
}
