/**
 * The terminal rendering of a replay: verdict, differences, inputs (reconstructed with their source, unknown),
 * times side by side, problems. Values from the log are printed as JSON, so control characters stay escaped.
 */
import { textTable } from '../reports/text-table.js';
import type { ReplayDiff } from './diff-runs.js';
import type { ReplayReport } from './replay.js';

export function renderReplayText(report: ReplayReport): string {
  const seq = report.sequence;
  const ofApp = report.diffs.filter((d) => d.stubbed !== true).length;
  const out: string[] = [
    `replay of ${report.runId}: ${seq.id ?? seq.name} (${seq.pluginId ?? '?'})`,
    report.match
      ? `match: the replay ran the same beats, handlers, DataBaton keys and errors${report.stubbed.length > 0 ? ' (except what the stubbed handlers did)' : ''}`
      : `NO MATCH: ${ofApp} difference${ofApp === 1 ? '' : 's'}`,
  ];
  if (report.stubbed.length > 0) {
    out.push('', 'stubbed (ran as a no-op: the DOM lacks what they need; their DataBaton changes are not replayed):');
    for (const s of report.stubbed) out.push(`  ${s.plugin}.${s.handler}: ${s.reason}`);
  }
  if (report.diffs.length > 0) {
    out.push('', 'differences (captured → replayed):');
    for (const d of report.diffs) out.push(`  ${describeDiff(d)}${d.stubbed === true ? '  [stubbed handler]' : ''}`);
  }
  const reconstructed = Object.entries(report.inputs.reconstructed);
  if (reconstructed.length > 0 || report.inputs.unknown.length > 0) {
    out.push('', 'inputs the handlers read:');
    for (const [key, r] of reconstructed) {
      out.push(`  ${key} = ${short(r.value)}  from the ${r.source}; read by ${r.readBy.join(', ')}`);
    }
    for (const u of report.inputs.unknown) {
      out.push(
        `  ${u.key}: unknown (the log does not carry it; replayed as undefined); read by ${u.readBy.join(', ')}`,
      );
    }
  }
  if (report.timings.length > 0) {
    out.push(
      '',
      'times:',
      textTable(
        [{ header: '' }, { header: 'captured ms', align: 'right' }, { header: 'replayed ms', align: 'right' }],
        report.timings.map((t) => [
          t.beat === null ? 'run' : `beat ${t.beat} ${t.event}`,
          ms(t.capturedMs),
          ms(t.replayedMs),
        ]),
      ),
    );
  }
  if (report.problems.length > 0) {
    out.push('', 'problems:');
    for (const p of report.problems) out.push(`  ${p}`);
  }
  return `${out.join('\n')}\n`;
}

function describeDiff(d: ReplayDiff): string {
  const where = [d.beat === null ? null : `beat ${d.beat}`, d.event, d.handler].filter((p) => p !== null).join(' ');
  const label = where === '' ? d.kind : `${where}: ${d.kind}`;
  return `${label}  ${short(d.captured)} → ${short(d.replayed)}`;
}

function short(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object' && value !== null && 'added' in value) {
    const k = value as { added: string[]; updated: string[]; removed: string[] };
    const parts = [
      k.added.length > 0 ? `+${k.added.join(',')}` : '',
      k.updated.length > 0 ? `~${k.updated.join(',')}` : '',
      k.removed.length > 0 ? `-${k.removed.join(',')}` : '',
    ].filter((p) => p !== '');
    return parts.length > 0 ? parts.join(' ') : 'no changes';
  }
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function ms(value: number | null): string {
  return value === null ? '—' : String(Math.round(value * 100) / 100);
}
