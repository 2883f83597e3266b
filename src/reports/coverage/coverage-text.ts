/** Terminal reporter of handler coverage: quadrants, untested-but-used by risk, plugins, hot paths, dead code. */
import type { CoverageReport, HandlerCoverage, Quadrant } from '../../analyses/coverage-types.js';
import { count, pct, sourceRef } from '../report-format.js';
import { type Colors, colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { textTable } from '../text-table.js';

export const quadrantLabels: Readonly<Record<Quadrant, string>> = {
  'used-tested': 'used and tested',
  'used-untested': 'used, untested (risk)',
  'tested-unused': 'tested, never used',
  dead: 'neither (dead-code candidate)',
};

export function renderCoverageText(report: CoverageReport, options: RenderOptions = {}): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = report.summary;
  const paint: Record<Quadrant, (t: string) => string> = {
    'used-tested': c.green,
    'used-untested': c.red,
    'tested-unused': c.yellow,
    dead: c.dim,
  };
  const risky = report.handlers.filter((h) => h.quadrant === 'used-untested');
  const dead = report.handlers.filter((h) => h.quadrant === 'dead');
  const out = [
    c.bold('Handler coverage'),
    `  ${count(s.defined)} handlers defined: ${count(s.used)} used in production (${pct(s.usedShare)}), ${count(s.tested)} tested (${pct(s.testedShare)}) · ${count(s.executions)} executions, ${count(s.untestedExecutions)} of them untested`,
    '',
    textTable(
      [{ header: 'quadrant' }, { header: 'handlers', align: 'right' }],
      (Object.keys(quadrantLabels) as Quadrant[]).map((q) => [paint[q](quadrantLabels[q]), count(s.quadrants[q])]),
      c.dim,
    ),
    '',
    c.bold(
      `Used but untested, by production executions${risky.length > limit ? ` (top ${limit} of ${risky.length})` : ''}`,
    ),
    risky.length === 0 ? c.green('  none') : handlerTable(risky.slice(0, limit), c),
    '',
    c.bold('Per plugin'),
    textTable(
      [
        { header: 'plugin' },
        { header: 'defined', align: 'right' },
        { header: 'used', align: 'right' },
        { header: 'tested', align: 'right' },
        { header: 'untested used', align: 'right' },
        { header: 'dead', align: 'right' },
        { header: 'runs', align: 'right' },
        { header: 'untested runs', align: 'right' },
      ],
      report.plugins.map((p) => [
        p.pluginId,
        count(p.defined),
        count(p.used),
        count(p.tested),
        p.quadrants['used-untested'] > 0 ? c.red(count(p.quadrants['used-untested'])) : '0',
        count(p.quadrants.dead),
        count(p.executions),
        count(p.untestedExecutions),
      ]),
      c.dim,
    ),
    '',
    c.bold('Hot paths (most executed)'),
    textTable(
      [{ header: 'handler' }, { header: 'plugin' }, { header: 'runs', align: 'right' }],
      report.hotPaths.map((h) => [h.handler, h.pluginId ?? '—', count(h.executions)]),
      c.dim,
    ),
  ];
  if (dead.length > 0) {
    out.push('', c.bold('Dead-code candidates (never ran, no test)'), handlerTable(dead.slice(0, limit), c));
  }
  if (report.unknownHandlers.length > 0) {
    out.push(
      '',
      c.bold(c.yellow('Ran in production, unknown to the code index')),
      textTable(
        [{ header: 'handler' }, { header: 'plugin' }, { header: 'runs', align: 'right' }],
        report.unknownHandlers.map((h) => [h.handler, h.pluginId ?? '—', count(h.executions)]),
        c.dim,
      ),
    );
  }
  out.push(...report.notes.map((n) => c.yellow(`  note: ${n}`)), '');
  return out.join('\n');
}

function handlerTable(rows: readonly HandlerCoverage[], c: Colors): string {
  return textTable(
    [
      { header: 'handler' },
      { header: 'plugin' },
      { header: 'runs', align: 'right' },
      { header: 'errors', align: 'right' },
      { header: 'source' },
    ],
    rows.map((h) => [
      h.handler,
      h.pluginId ?? '—',
      count(h.executions),
      h.errors > 0 ? c.red(count(h.errors)) : '0',
      sourceRef(h.sourceFile, h.sourceLine),
    ]),
    c.dim,
  );
}
