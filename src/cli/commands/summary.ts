import type { StoreSummary } from '../../model/index.js';
import { color, formatInt, formatMs, keyValues } from '../format.js';
import { openStore } from '../open-store.js';

export async function runSummary(opts: { db: string; json?: boolean }): Promise<void> {
  const store = await openStore(opts.db, 'read');
  try {
    const s = await store.summary();
    process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : renderSummary(s, opts.db));
  } finally {
    await store.close();
  }
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
      ['time span', formatMs(s.timeSpanMs)],
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
      ['handler errors', s.handlerErrors > 0 ? color.red(n(s.handlerErrors)) : '0'],
      ['DataBaton diffs', n(s.batonDiffs)],
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
