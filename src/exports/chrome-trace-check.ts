/** A checker of the Chrome Trace Event rules the export must keep, used by its tests (and handy in a REPL). */
import type { ChromeTrace } from './chrome-trace.js';

/**
 * The Trace Event Format rules that can be checked mechanically: required fields per phase, non-negative
 * `dur`, scoped instant events, named metadata events, and complete events on one thread that nest
 * (Perfetto drops slices that overlap without nesting). Returns the problems found.
 */
export function checkTraceEventFormat(trace: ChromeTrace): string[] {
  const problems: string[] = [];
  if (!Array.isArray(trace.traceEvents)) return ['traceEvents is not an array'];
  if (!['ms', 'ns'].includes(trace.displayTimeUnit)) problems.push('displayTimeUnit must be ms or ns');
  const byThread = new Map<string, { ts: number; end: number }[]>();
  trace.traceEvents.forEach((e, i) => {
    const where = `event ${i} (${e.ph} ${e.name})`;
    if (typeof e.name !== 'string' || !['X', 'i', 'M'].includes(e.ph)) problems.push(`${where}: bad name or ph`);
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) problems.push(`${where}: pid/tid must be integers`);
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0)
      problems.push(`${where}: ts must be a finite number >= 0`);
    if (e.ph === 'X') {
      if (typeof e.dur !== 'number' || !(e.dur >= 0)) problems.push(`${where}: dur must be >= 0`);
      const key = `${e.pid}/${e.tid}`;
      const list = byThread.get(key) ?? [];
      byThread.set(key, list);
      list.push({ ts: e.ts, end: e.ts + (e.dur ?? 0) });
    }
    if (e.ph === 'i' && !['t', 'p', 'g'].includes(e.s ?? 't')) problems.push(`${where}: bad instant scope`);
    if (e.ph === 'M') {
      const ok = ['process_name', 'thread_name', 'process_sort_index', 'thread_sort_index'].includes(e.name);
      if (!ok || typeof e.args !== 'object') problems.push(`${where}: unknown metadata event`);
    }
  });
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
