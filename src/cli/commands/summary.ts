import type { StoreSummary } from '../../model/index.js';
import { duration } from '../../reports/report-format.js';
import type { SqlStore } from '../../store/telemetry-store.js';
import { color, formatInt, keyValues } from '../format.js';
import { writeCliJson } from '../json-output.js';
import { openStore } from '../open-store.js';

export async function runSummary(opts: { db: string; json?: boolean }): Promise<void> {
  const store = await openStore(opts.db, 'read');
  try {
    const s = await store.summary();
    if (opts.json) writeCliJson('summary', s);
    else process.stdout.write(`${renderSummary(s, opts.db)}${await renderProblems(store, s)}`);
  } finally {
    await store.close();
  }
}

/** The most common unknown-line templates and the latest diagnostics: what to look at when lines go unread. */
export async function renderProblems(store: SqlStore, s: StoreSummary): Promise<string> {
  const out: string[] = [];
  if (s.linesUnknown > 0) {
    const rows = await store.query(
      'SELECT template, count(*) AS n FROM unknown_lines GROUP BY template ORDER BY n DESC, template LIMIT 5',
    );
    out.push(
      `\n${color.bold('Most common unknown lines')} ${color.dim('(beatscope sql "select * from unknown_lines")')}`,
    );
    for (const r of rows) out.push(`  ${String(r['n']).padStart(6)}  ${String(r['template']).slice(0, 110)}`);
  }
  if (s.diagnostics > 0) {
    const rows = await store.query(
      'SELECT path, line, severity, message FROM diagnostics ORDER BY file_id, ord LIMIT 5',
    );
    out.push(`\n${color.bold('Diagnostics')} ${color.dim('(beatscope sql "select * from diagnostics")')}`);
    for (const r of rows)
      out.push(`  ${r['severity']} ${r['path']}${Number(r['line']) > 0 ? `:${r['line']}` : ''}: ${r['message']}`);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

export function renderSummary(s: StoreSummary, db: string): string {
  const n = formatInt;
  const section = (title: string) => `\n${color.bold(title)}`;
  return [
    `${color.bold('beatscope')} store ${db}`,
    section('Input'),
    keyValues([
      ['files', n(s.files)],
      ['lines', `${n(s.lines)} (${n(s.linesRecognized)} recognized, ${n(s.linesUnknown)} unknown)`],
      ['sessions', n(s.sessions)],
      ['time in sessions', duration(s.timeSpanMs)],
      ['gaps > threshold', n(s.gaps)],
      ['diagnostics', n(s.diagnostics)],
    ]),
    section('Plugins and sequences'),
    keyValues([
      [
        'mount attempts',
        `${n(s.pluginMountAttempts)} (${n(s.pluginMountsSucceeded)} succeeded, ${n(s.pluginMountsFailed)} failed)`,
      ],
      ['sequences registered', n(s.sequencesRegistered)],
      ['subscriptions', n(s.subscriptions)],
    ]),
    section('Runs'),
    keyValues([
      [
        'sequence runs',
        `${n(s.sequenceRuns)} (${n(s.sequenceRunsCompleted)} completed, ${n(s.sequenceRunsFailed)} failed)`,
      ],
      ['movements completed', n(s.movementRunsCompleted)],
      ['beat runs', `${n(s.beatRuns)} (${n(s.beatRunsCompleted)} completed, ${n(s.beatRunsFailed)} failed)`],
      ['handler runs', n(s.handlerRuns)],
      ['handler errors', s.handlerErrors > 0 ? color.red(n(s.handlerErrors)) : '0'],
      ['DataBaton lines', n(s.batonDiffs)],
    ]),
    section(`Sequences that ran (${s.sequencesSeen.length})`),
    wrap(s.sequencesSeen),
    section(`Handlers seen (${s.handlersSeen.length})`),
    wrap(s.handlersSeen),
    '',
  ].join('\n');
}

function wrap(names: readonly string[]): string {
  if (names.length === 0) return color.dim('  (none)');
  const lines: string[] = [];
  let line = ' ';
  for (const name of names) {
    if (line.length + name.length > 100) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${name}`;
  }
  lines.push(line);
  return lines.join('\n');
}
