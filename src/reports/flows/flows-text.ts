/** Terminal reporter of the flow validator: fitness per sequence, findings by kind, drift, the findings. */
import type { FlowReport, Violation, ViolationSeverity } from '../../analyses/flow-types.js';
import { violationKinds } from '../../analyses/flow-types.js';
import { count, pct } from '../report-format.js';
import { type Colors, colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { textTable } from '../text-table.js';

const mark = (severity: ViolationSeverity, c: Colors) =>
  severity === 'error' ? c.red('✖ error') : severity === 'warning' ? c.yellow('▲ warning') : c.cyan('ℹ info');

export function renderFlowsText(report: FlowReport, options: RenderOptions = {}): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const fitness = (f: number | null) =>
    f === null ? c.dim('—') : f === 1 ? c.green(pct(f)) : f >= 0.8 ? c.yellow(pct(f)) : c.red(pct(f));
  const out = [
    c.bold('Flow validation'),
    `  ${count(s.sequenceRuns)} sequence runs, ${count(s.conformingRuns)} conform (${fitness(s.fitness)}) · ${count(s.sequencesRun)} sequences ran, ${count(s.sequencesDefined)} defined · ${count(s.violations)} findings`,
    '',
    c.bold('Findings by kind'),
    textTable(
      [{ header: 'kind' }, { header: 'count', align: 'right' }],
      violationKinds.map((k) => [
        report.unchecked.includes(k) ? c.dim(k) : k,
        report.unchecked.includes(k) ? c.dim('not checked') : s.byKind[k] > 0 ? c.bold(count(s.byKind[k])) : c.dim('0'),
      ]),
      c.dim,
    ),
    '',
    c.bold('Sequences (worst fitness first)'),
    textTable(
      [
        { header: 'sequence' },
        { header: 'plugin' },
        { header: 'runs', align: 'right' },
        { header: 'conform', align: 'right' },
        { header: 'fitness', align: 'right' },
        { header: 'findings' },
      ],
      report.sequences.map((q) => [
        q.defined || !report.codeIndex ? q.sequenceName : `${q.sequenceName} ${c.yellow('(no definition)')}`,
        q.pluginId ?? '—',
        count(q.runs),
        count(q.conformingRuns),
        fitness(q.fitness),
        Object.entries(q.violations)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || c.dim('none'),
      ]),
      c.dim,
    ),
  ];
  if (report.drift.length > 0) {
    out.push('', c.bold('Drift: production against the code now'));
    for (const d of report.drift) {
      out.push(`  ${c.bold(d.sequenceId)} (${d.runs} completed runs)`);
      for (const b of d.missingInRuns)
        out.push(`    ${c.red('−')} defined, never ran: beat ${b.beat} ${b.event ?? '—'} → ${b.handler ?? '—'}`);
      for (const b of d.extraInRuns)
        out.push(`    ${c.green('+')} ran, not defined: ${b.event ?? '—'} → ${b.handler ?? '—'}`);
      for (const b of d.handlerChanged)
        out.push(`    ${c.yellow('~')} ${b.event}: ran ${b.handler}, defined ${b.definedHandler}`);
    }
  }
  out.push(
    '',
    c.bold(`Findings${report.violations.length > limit ? ` (first ${limit} of ${report.violations.length})` : ''}`),
  );
  out.push(report.violations.length === 0 ? c.green('  none') : findingsTable(report.violations.slice(0, limit), c));
  out.push(...report.notes.map((n) => c.yellow(`  note: ${n}`)), '');
  return out.join('\n');
}

function findingsTable(violations: readonly Violation[], c: Colors): string {
  return textTable(
    [{ header: 'severity' }, { header: 'kind' }, { header: 'sequence' }, { header: 'run' }, { header: 'message' }],
    violations.map((v) => [
      mark(v.severity, c),
      v.kind,
      v.sequenceId ?? v.sequenceName ?? v.pluginId ?? '—',
      v.runId ?? '—',
      v.message,
    ]),
    c.dim,
  );
}
