/** Terminal and single-file Markdown reporters of the sequences report (the `beatscope docs` pages in one). */
import type { DocsReport } from '../../analyses/docs/docs-types.js';
import { count, ms } from '../report-format.js';
import { colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { textTable } from '../text-table.js';
import { renderSequencePage } from './docs-md.js';

export function renderSequencesText(report: DocsReport, options: RenderOptions = {}): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const rows = report.sequences
    .slice(0, limit)
    .map((s) => [
      s.name,
      s.plugin ?? '—',
      count(s.runs),
      ms(s.time.p50),
      ms(s.time.p95),
      count(s.beats.length),
      count(s.neverSeen.length),
      s.runs === 0 ? 'never ran' : s.drift ? 'drift' : '',
    ]);
  const out = [
    c.bold('Sequences as they run in production'),
    textTable(
      [
        { header: 'sequence' },
        { header: 'plugin' },
        { header: 'runs', align: 'right' },
        { header: 'p50 ms', align: 'right' },
        { header: 'p95 ms', align: 'right' },
        { header: 'beats', align: 'right' },
        { header: 'never seen', align: 'right' },
        { header: 'status' },
      ],
      rows,
      c.dim,
    ),
  ];
  if (report.sequences.length > limit)
    out.push(c.dim(`  … ${report.sequences.length - limit} more sequences (--limit, or --format json)`));
  out.push(c.dim('  one page per sequence with its flow: beatscope docs --out <dir>'));
  out.push(...report.notes.map((n) => c.yellow(`  note: ${n}`)), '');
  return out.join('\n');
}

/** Every sequence page in one document, headings one level down under `## Sequences`. */
export function renderSequencesMd(report: DocsReport, options: RenderOptions = {}): string {
  const limit = options.limit ?? report.sequences.length;
  const pages = report.sequences.slice(0, limit).map((s) => renderSequencePage(s).replace(/^(#+) /gm, '$1## '));
  return `## Sequences\n\n${pages.join('\n')}`;
}
