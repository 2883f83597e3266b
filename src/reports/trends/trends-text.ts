/** `report trends` in the terminal and as Markdown (names escaped: they come from logs). */
import type { ChangePoint, TrendsReport } from '../../analyses/trends/trends-types.js';
import { mdCode, mdText } from '../md-escape.js';
import { count } from '../report-format.js';
import { colorsFor, DEFAULT_LIMIT, type RenderOptions } from '../report-schema.js';
import { markdownTable, textTable } from '../text-table.js';

export const pctText = (change: number): string => `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;
export const pText = (p: number): string => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
/** Session start as `YYYY-MM-DD HH:MM` UTC. */
export const whenText = (iso: string): string => iso.slice(0, 16).replace('T', ' ');
const fileName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** How it decides, in one sentence (text, Markdown and the page). */
export function methodText(r: TrendsReport): string {
  const o = r.options;
  return `E-Divisive means over per-session log mean handler times, Welch t-test (Bonferroni over the splits tried), Benjamini–Hochberg FDR ${o.alpha} across ${r.summary.tested} series; change ≥ ${(o.minChange * 100).toFixed(0)} %, ≥ ${o.minSegmentSessions} sessions each side, sessions with ≥ ${o.minRunsPerSession} timed runs.`;
}

function row(c: ChangePoint): string[] {
  return [
    whenText(c.at.time),
    c.plugin,
    c.handler,
    c.sequence ?? '(all)',
    `${c.before.p50} → ${c.after.p50}`,
    `${c.before.p95} → ${c.after.p95}`,
    pctText(c.change),
    `${c.before.n}/${c.after.n}`,
    pText(c.pValue),
    `${c.at.session} ${fileName(c.at.file)}`,
  ];
}

const COLUMNS = [
  { header: 'from session (UTC)' },
  { header: 'plugin' },
  { header: 'handler' },
  { header: 'sequence' },
  { header: 'p50 ms', align: 'right' as const },
  { header: 'p95 ms', align: 'right' as const },
  { header: 'change', align: 'right' as const },
  { header: 'n', align: 'right' as const },
  { header: 'p', align: 'right' as const },
  { header: 'session, file' },
];

export function renderTrendsText(r: TrendsReport, options: RenderOptions = {}): string {
  const c = colorsFor(options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = r.summary;
  const out = [
    c.bold('Handler time trends'),
    `  ${count(s.changePoints)} change points in ${count(s.handlersChanged)} handlers; ${count(s.tested)} series tested over ${count(s.sessions)} sessions, ${count(s.insufficient)} handlers with too few sessions`,
    c.dim(`  ${methodText(r)}`),
  ];
  if (r.changePoints.length > 0) out.push('', textTable(COLUMNS, r.changePoints.slice(0, limit).map(row), c.dim));
  if (r.changePoints.length > limit)
    out.push(c.dim(`  … ${r.changePoints.length - limit} more (--limit, or --format json)`));
  if (r.insufficient.length > 0)
    out.push(
      '',
      c.dim(
        `  too few sessions: ${r.insufficient
          .slice(0, limit)
          .map((i) => `${i.plugin}.${i.handler}`)
          .join(', ')}${r.insufficient.length > limit ? ', …' : ''}`,
      ),
    );
  out.push(...r.notes.map((n) => c.yellow(`  note: ${n}`)), '');
  return out.join('\n');
}

export function renderTrendsMd(r: TrendsReport, options: RenderOptions = {}): string {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const s = r.summary;
  const out = [
    '## Handler time trends',
    '',
    `${count(s.changePoints)} change points in ${count(s.handlersChanged)} handlers; ${count(s.tested)} series tested over ${count(s.sessions)} sessions, ${count(s.insufficient)} handlers with too few sessions.`,
    '',
    `<sub>${mdText(methodText(r))}</sub>`,
    '',
  ];
  if (r.changePoints.length === 0) out.push('_No change point._');
  else
    out.push(
      markdownTable(
        COLUMNS,
        r.changePoints.slice(0, limit).map((c) => {
          const cells = row(c);
          return cells.map((cell, i) => (i >= 1 && i <= 3 && cell !== '(all)' ? mdCode(cell) : mdText(cell)));
        }),
      ),
    );
  if (r.changePoints.length > limit) out.push('', `… ${r.changePoints.length - limit} more in trends.json`);
  if (r.insufficient.length > 0) {
    out.push('', `<details><summary>${r.insufficient.length} handlers with too few sessions</summary>`, '');
    for (const i of r.insufficient) out.push(`- ${mdCode(i.plugin)} ${mdCode(i.handler)}: ${mdText(i.reason)}`);
    out.push('', '</details>');
  }
  for (const n of r.notes) out.push('', `> ${mdText(n)}`);
  return `${out.join('\n')}\n`;
}
