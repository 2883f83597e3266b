/**
 * A readable dump of a reconstructed trace, one line per run, movement, beat and handler run, for
 * snapshot tests of the importers and the trace builder (speedscope's `checkProfileSnapshot` idea):
 *   Library Load [library-load-symphony] completed 10ms
 *     › Load 1/1 completed
 *       › beat 1 library:components:load "Load Components" completed 4.2ms (performance-tracker)
 *         · loadComponents ok
 */

import { groupBy } from '../analyses/collections.js';
import type { TraceData } from '../analyses/trace-data.js';
import type { BeatRun, HandlerRun, MovementRun, SequenceRun } from '../model/index.js';
import { sequenceLabel } from '../model/unknown-names.js';

const ms = (v: number | null) => (v === null ? '' : ` ${Math.round(v * 100) / 100}ms`);

function runLine(r: SequenceRun): string {
  const id = r.sequenceId ? ` [${r.sequenceId}]` : '';
  return `${sequenceLabel(r.sequenceName)}${id} ${r.status}${ms(r.durationMs)}${r.error ? ` error: ${r.error}` : ''}`;
}

function movementLine(m: MovementRun): string {
  return `› ${m.name} ${m.index}/${m.total ?? '?'} ${m.status}${ms(m.durationMs)}`;
}

function beatLine(b: BeatRun): string {
  const title = b.title ? ` "${b.title}"` : '';
  const source = b.durationSource === 'none' ? '' : ` (${b.durationSource})`;
  return `› beat ${b.beat} ${b.event ?? '?'}${title} ${b.status}${ms(b.durationMs)}${source}${b.error ? ` error: ${b.error}` : ''}`;
}

function handlerLine(h: HandlerRun): string {
  return `· ${h.handler} ${h.status}${h.settledAfterBeat ? ' (settled after its beat)' : ''}`;
}

export function renderTraceDump(data: TraceData): string {
  const movementsByRun = groupBy(data.movements, (m) => m.sequenceRunId);
  const beatsByRun = groupBy(data.beats, (b) => b.sequenceRunId);
  const handlersByBeat = groupBy(data.handlerRuns, (h) => h.beatRunId);
  const runsBySession = groupBy(data.runs, (r) => r.sessionId);
  const out: string[] = [];
  for (const s of data.sessions) {
    out.push(`session ${s.index} (${s.marker}) lines ${s.startLine}-${s.endLine}`);
    for (const r of runsBySession.get(s.id) ?? []) {
      out.push(`  ${runLine(r)}`);
      const beats = beatsByRun.get(r.id) ?? [];
      const beatOut = (b: BeatRun, indent: string) => {
        out.push(`${indent}${beatLine(b)}`);
        for (const h of handlersByBeat.get(b.id) ?? []) out.push(`${indent}  ${handlerLine(h)}`);
      };
      for (const m of movementsByRun.get(r.id) ?? []) {
        out.push(`    ${movementLine(m)}`);
        for (const b of beats) if (b.movementRunId === m.id) beatOut(b, '      ');
      }
      for (const b of beats) if (b.movementRunId === null) beatOut(b, '    ');
    }
  }
  const orphans = data.handlerRuns.filter((h) => h.beatRunId === null);
  if (orphans.length > 0)
    out.push(`handler runs outside any beat in this capture: ${orphans.map((h) => h.handler).join(', ')}`);
  return `${out.join('\n')}\n`;
}
