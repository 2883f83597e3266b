/**
 * The timeline as text: per session, its sequence runs in log order with status, duration, beats and
 * the slowest beat — the terminal's view of what `timeline.html` draws (`beatscope report timeline`).
 */
import { groupBy } from '../../analyses/collections.js';
import type { TimelineWindow } from '../../analyses/timeline-types.js';
import { byStartTime, type TraceData } from '../../analyses/trace-data.js';
import type { BeatRun, SequenceRun } from '../../model/index.js';
import { sequenceLabel } from '../../model/unknown-names.js';
import { mdText } from '../md-escape.js';
import { colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { markdownTable, textTable } from '../text-table.js';

interface RunRow {
  readonly cells: readonly string[];
  readonly failed: boolean;
}

function clock(ms: number | null, line: number): string {
  return ms === null ? `line ${line}` : new Date(ms).toISOString().slice(11, 23);
}

function runRows(
  runs: readonly SequenceRun[],
  beatsByRun: ReadonlyMap<string, BeatRun[]>,
  errorsByRun: ReadonlyMap<string, number>,
): RunRow[] {
  return runs.map((r) => {
    const beats = beatsByRun.get(r.id) ?? [];
    let slowest: BeatRun | undefined;
    for (const b of beats) if (b.durationMs !== null && (slowest?.durationMs ?? -1) < b.durationMs) slowest = b;
    const errors = errorsByRun.get(r.id) ?? 0;
    return {
      failed: r.status !== 'completed' || errors > 0,
      cells: [
        clock(r.startMs, r.span.startLine),
        sequenceLabel(r.sequenceName),
        r.status,
        r.durationMs === null ? '—' : `${r.durationMs} ms`,
        String(beats.length),
        String(errors),
        slowest ? `${slowest.event ?? `beat ${slowest.beat}`} ${slowest.durationMs} ms` : '—',
      ],
    };
  });
}

const COLUMNS = [
  { header: 'start' },
  { header: 'sequence' },
  { header: 'status' },
  { header: 'duration', align: 'right' as const },
  { header: 'beats', align: 'right' as const },
  { header: 'errors', align: 'right' as const },
  { header: 'slowest beat' },
];

function bySession(data: TraceData) {
  const beatsByRun = groupBy(data.beats, (b) => b.sequenceRunId);
  const errorsByRun = new Map<string, number>();
  for (const [run, errors] of groupBy(data.errors, (e) => e.sequenceRunId)) errorsByRun.set(run, errors.length);
  const runsBySession = groupBy(data.runs, (r) => r.sessionId);
  const sessions = [...data.sessions].sort(byStartTime);
  const all = sessions.map((s, i) => {
    const runs = (runsBySession.get(s.id) ?? []).sort((a, b) => a.span.startLine - b.span.startLine);
    const span =
      s.startMs !== null && s.endMs !== null
        ? `${new Date(s.startMs).toISOString()} → ${new Date(s.endMs).toISOString().slice(11, 23)}`
        : 'no timestamps';
    return {
      title: `Session ${i + 1} · ${s.id} · ${span} · ${runs.length} run${runs.length === 1 ? '' : 's'}`,
      rows: runRows(runs, beatsByRun, errorsByRun),
    };
  });
  // Sessions keep their numbers (the same as timeline.html's); those that ran nothing are only counted.
  const listed = all.filter((s) => s.rows.length > 0);
  return { listed, idle: all.length - listed.length };
}

/** Says that a timeline covers only part of the store (its first beat runs, or one log file), and how to see the rest. */
export function windowNote(window: TimelineWindow): string {
  const n = (v: number) => v.toLocaleString('en-US');
  if (window.logFile !== undefined) {
    const beats = window.wholeFile
      ? `its ${n(window.beatRuns)} beat runs`
      : window.aroundLine !== undefined
        ? `${n(window.beatRuns)} of its beat runs in log order around line ${n(window.aroundLine)} (it holds more)`
        : `its first ${n(window.beatRuns)} beat runs in log order (it holds more)`;
    return `this timeline covers log file ${window.logFile}: ${beats}, of the store's ${n(window.storeBeatRuns)}`;
  }
  return `the store holds ${n(window.storeBeatRuns)} beat runs: this timeline covers the first ${n(window.beatRuns)} in log order (beatscope report timeline --log <file> for another log file, --at <file>:<line> for a later part of one, beatscope sql for the rest; the other reports cover the whole store)`;
}

const idleNote = (idle: number) =>
  `${idle} more session${idle === 1 ? '' : 's'} ran no sequence (not listed; beatscope sql "select * from sessions")`;

export function renderRunsText(data: TraceData, options: RenderOptions = {}, window?: TimelineWindow): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const out = [
    c.bold('Execution timeline'),
    c.dim('  runs per session in log order; open timeline.html (beatscope analyze) for the interactive view'),
    ...(window ? [c.yellow(`  note: ${windowNote(window)}`)] : []),
    '',
  ];
  const { listed, idle } = bySession(data);
  for (const s of listed) {
    out.push(c.bold(s.title));
    const rows = s.rows.slice(0, limit).map((r) => (r.failed ? r.cells.map((x) => c.red(x)) : r.cells));
    if (rows.length > 0) out.push(textTable(COLUMNS, rows, c.dim));
    if (s.rows.length > limit) out.push(c.dim(`  … ${s.rows.length - limit} more runs (--limit N)`));
    out.push('');
  }
  if (idle > 0) out.push(c.dim(idleNote(idle)), '');
  return `${out.join('\n')}\n`;
}

export function renderRunsMd(data: TraceData, options: RenderOptions = {}, window?: TimelineWindow): string {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const out = ['# Execution timeline', '', ...(window ? [`> **Note:** ${mdText(windowNote(window))}`, ''] : [])];
  const { listed, idle } = bySession(data);
  for (const s of listed) {
    out.push(`## ${mdText(s.title)}`, '');
    if (s.rows.length > 0)
      out.push(
        markdownTable(
          COLUMNS,
          s.rows.slice(0, limit).map((r) => r.cells.map(mdText)),
        ),
        '',
      );
    if (s.rows.length > limit) out.push(`_… ${s.rows.length - limit} more runs._`, '');
  }
  if (idle > 0) out.push(`_${idleNote(idle)}_`, '');
  return `${out.join('\n')}\n`;
}
