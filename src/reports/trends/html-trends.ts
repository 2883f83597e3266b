/** The trends page: every change point in a table, then per changed handler its sessions charted with the change marked. */
import type { ChangePoint, TrendSeries, TrendsReport } from '../../analyses/trends/trends-types.js';
import { TREND_CHART_WIDTH, trendChartSvg } from '../charts/trend-chart.js';
import { escapeHtml, formatCount, type PageContext, renderPage } from '../html-layout.js';
import { methodText, pctText, pText, whenText } from './trends-text.js';

/** Charts drawn at most (each is ~20 KB of SVG); the JSON has every series. */
const MAX_CHARTS = 40;

const sameSeries = (c: ChangePoint, s: TrendSeries) =>
  c.plugin === s.plugin && c.handler === s.handler && c.sequence === s.sequence;

function rowHtml(c: ChangePoint, chart: number): string {
  const name = `<span class="mono">${escapeHtml(c.handler)}</span>`;
  return `<tr><td class="nowrap">${escapeHtml(whenText(c.at.time))}</td><td>${escapeHtml(c.plugin)}</td><td>${chart >= 0 ? `<a href="#trend-${chart}">${name}</a>` : name}</td><td>${escapeHtml(c.sequence ?? 'all')}</td>
<td class="num">${c.before.p50} → ${c.after.p50}</td><td class="num">${c.before.p95} → ${c.after.p95}</td><td class="num ${c.change > 0 ? 'bad' : 'good'}">${escapeHtml(pctText(c.change))}</td><td class="num">${c.before.n} / ${c.after.n}</td><td class="num">${escapeHtml(pText(c.pValue))}</td><td class="mono small">${escapeHtml(c.at.session)} · ${escapeHtml(c.at.file)}</td></tr>`;
}

function seriesBlock(r: TrendsReport, s: TrendSeries, k: number): string {
  const changes = r.changePoints.filter((c) => sameSeries(c, s));
  // Segment levels: the p50 before the first change, then each change's after-p50.
  const levels = changes.length === 0 ? [] : [changes[0]!.before.p50, ...changes.map((c) => c.after.p50)];
  const text = changes
    .map((c) => `${pctText(c.change)} from ${whenText(c.at.time)} (p50 ${c.before.p50} → ${c.after.p50} ms)`)
    .join('; ');
  return `<section class="panel trend" id="trend-${k}">
<h3><span class="mono">${escapeHtml(s.handler)}</span> <span class="muted">${escapeHtml(s.plugin)}${s.sequence === null ? '' : ` · in ${escapeHtml(s.sequence)}`}</span></h3>
<p class="muted">${escapeHtml(text)} · ${formatCount(s.points.length)} sessions</p>
<figure class="chart"><figcaption>Median handler time per session (dots), segment median (line), change point (dashed)</figcaption>${trendChartSvg(
    s,
    levels,
    changes.map((c) => c.change),
  )}</figure>
</section>`;
}

export function renderTrendsPage(ctx: PageContext, r: TrendsReport): string {
  const s = r.summary;
  const charted = r.series.slice(0, MAX_CHARTS);
  const chartOf = (c: ChangePoint) => charted.findIndex((x) => sameSeries(c, x));
  const table =
    r.changePoints.length === 0
      ? '<p>No handler time changed level across sessions.</p>'
      : `<div class="table-wrap"><table><thead><tr><th>from session (UTC)</th><th>plugin</th><th>handler</th><th>sequence</th><th class="num">p50 ms</th><th class="num">p95 ms</th><th class="num">change</th><th class="num">n</th><th class="num">p</th><th>session · file</th></tr></thead><tbody>
${r.changePoints.map((c) => rowHtml(c, chartOf(c))).join('\n')}</tbody></table></div>`;
  const insufficient =
    r.insufficient.length === 0
      ? ''
      : `<details class="panel"><summary>${formatCount(r.insufficient.length)} handlers ran in too few sessions to test</summary><ul>${r.insufficient
          .map(
            (i) =>
              `<li><span class="mono">${escapeHtml(i.handler)}</span> <span class="muted">${escapeHtml(i.plugin)}</span>: ${escapeHtml(i.reason)}</li>`,
          )
          .join('')}</ul></details>`;
  const more =
    r.series.length > charted.length
      ? `<p class="muted">… ${r.series.length - charted.length} more changed series in trends.json</p>`
      : '';
  const body = `<h1>Handler time trends</h1>
<p>${formatCount(s.changePoints)} change points in ${formatCount(s.handlersChanged)} handlers; ${formatCount(s.tested)} series tested over ${formatCount(s.sessions)} sessions.</p>
<p class="muted small">${escapeHtml(methodText(r))}</p>
${table}
${charted.length > 0 ? '<h2>Changed handlers</h2>' : ''}
${charted.map((x, k) => seriesBlock(r, x, k)).join('\n')}${more}
${insufficient}
${r.notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('\n')}`;
  return renderPage(ctx, {
    id: 'trends',
    title: 'Trends',
    body,
    css: `.trend svg{display:block;width:100%;max-width:${TREND_CHART_WIDTH}px;height:auto}.trend .chart{margin:4px 0 0}.small{font-size:12px}td.bad{color:#b91c1c}td.good{color:#047857}.table-wrap{overflow-x:auto}`,
  });
}
