/** Terminal reporter of the state report: per DataBaton key its writers and conflicting writes. */
import type { RequestStep, StateReport } from '../../analyses/state/state-types.js';
import { count } from '../report-format.js';
import { colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { textTable } from '../text-table.js';

const iso = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString());

/** `{id,name} ×3, null ×1`. */
export const shapesText = (shapes: readonly { shape: string; count: number }[]): string =>
  shapes.length === 0 ? '—' : shapes.map((s) => `${s.shape} ×${s.count}`).join(', ');

const keysText = (s: RequestStep): string =>
  [
    s.added.length > 0 ? `+${s.added.join(',')}` : '',
    s.updated.length > 0 ? `~${s.updated.join(',')}` : '',
    s.removed.length > 0 ? `-${s.removed.join(',')}` : '',
  ]
    .filter((x) => x !== '')
    .join(' ') || 'no changes';

function requestText(r: NonNullable<StateReport['request']>, c: ReturnType<typeof colorsFor>): string[] {
  if (r.steps.length === 0) return [c.yellow(`  no DataBaton line names request ${r.requestId}`)];
  return [
    c.bold(`Request ${r.requestId}: ${r.steps.length} DataBaton lines`),
    textTable(
      [
        { header: 'sequence' },
        { header: 'beat', align: 'right' },
        { header: 'event' },
        { header: 'handler' },
        { header: 'changes' },
        { header: 'time' },
        { header: 'log' },
      ],
      r.steps.map((s) => [
        s.sequence,
        s.beat === null ? '?' : String(s.beat),
        s.event,
        s.handler ?? '(beat)',
        keysText(s),
        iso(s.timeMs),
        `${s.logFile}:${s.logLine}`,
      ]),
      c.dim,
    ),
  ];
}

export function renderStateText(report: StateReport, options: RenderOptions = {}): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const out = [
    c.bold(report.key === null ? 'DataBaton state' : `DataBaton key ${report.key}`),
    `  ${count(s.keys)} keys, ${count(s.writes)} writes, ${count(s.keysWithConflicts)} keys with conflicting writes, ${count(s.unattributedWrites)} change lines without a handler`,
  ];
  if (report.readersIndexed)
    out.push(
      `  ${count(s.writtenNotRead)} keys written but read by no handler's source, ${count(s.readNotWritten)} read but never written in production`,
    );
  if (report.key !== null && report.keys.length === 0)
    out.push(c.yellow(`  no handler wrote ${report.key} and none reads it`));
  for (const k of report.keys.slice(0, limit)) {
    out.push(
      '',
      c.bold(k.key),
      textTable(
        [
          { header: 'plugin' },
          { header: 'handler' },
          { header: 'sequence' },
          { header: 'writes', align: 'right' },
          { header: '+/~/-' },
          { header: 'first' },
          { header: 'last' },
          { header: 'value shapes' },
        ],
        k.writers.map((w) => [
          w.plugin ?? '—',
          w.handler,
          w.sequence,
          count(w.count),
          `${w.added}/${w.updated}/${w.removed}`,
          iso(w.firstMs),
          iso(w.lastMs),
          shapesText(w.shapes),
        ]),
        c.dim,
      ),
    );
    if (report.readersIndexed)
      out.push(
        k.readers.length === 0
          ? c.dim('  read by: no handler source reads it')
          : `  read by: ${k.readers.map((r) => `${r.handler} (${r.plugin ?? '—'}, ${r.file}:${r.line})`).join(', ')}`,
      );
    if (k.writers.length === 0) out.push(c.yellow('  never written in production'));
    if (k.conflictCount > 0)
      out.push(
        c.yellow(
          `  ${k.conflictCount} requests with several writers, e.g. ${k.conflicts[0]!.requestId}: ${k.conflicts[0]!.handlers.join(', ')}`,
        ),
      );
  }
  if (report.request) out.push('', ...requestText(report.request, c));
  if (report.keys.length > limit)
    out.push('', c.dim(`  … ${report.keys.length - limit} more keys (--limit, or --format json)`));
  out.push(...report.notes.map((n) => c.yellow(`  note: ${n}`)), '');
  return out.join('\n');
}
