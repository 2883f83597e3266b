/**
 * Handler performance page: the slowest handlers with a p95 colour scale, and the handler × time-bucket
 * heatmap (echarts, rendered server-side to SVG). Each heatmap cell is covered by a plain link to a
 * drill-down list of its executions, which link into the timeline: no script needed. Between them, one
 * handler's latency histogram and p95 per session (html-handler-charts.ts), picked from the table or the heatmap.
 */

import type { HandlerPerformanceReport } from '../../analyses/handler-performance-types.js';
import type { HeatmapCell } from '../../analyses/heatmap-matrix.js';
import { svgChart } from '../charts/svg-chart.js';
import { escapeHtml, formatCount, formatMs, type PageContext, renderPage, sourceHtml } from '../html-layout.js';
import type { TimelineIndex } from '../timeline-index.js';
import { heatScale, heatStep } from './heatmap-scale.js';
import {
  chartedPositions,
  chartId,
  HANDLER_CHARTS_CSS,
  HANDLER_CHARTS_SCRIPT,
  handlerChartsSection,
} from './html-handler-charts.js';

/** A handler that ran but was never timed. */
const UNTIMED = '#eceff3';
const MAX_ROWS = 30;
const LINKS_PER_CELL = 20;
const TOP_N = 15;

/** Background and text colour of a p95 cell on the shared absolute scale (heatmap-scale.ts). */
function heatStyle(p95Ms: number | null): string {
  if (p95Ms === null) return `background:${UNTIMED}`;
  const step = heatStep(p95Ms);
  return `background:${step.css};color:${step.cssText}`;
}
const handlerLabel = (name: string, plugin: string | null) => (plugin ? `${plugin}.${name}` : name);

function slowestTable(r: HandlerPerformanceReport, charted: ReadonlySet<number>, sourceUrl?: string): string {
  const rows = r.handlers.slice(0, TOP_N).map((h, i) => {
    const link = `timeline.html#handler=${encodeURIComponent(handlerLabel(h.name, h.plugin))}`;
    // A charted handler's row picks its charts (its rank is a link for keyboards and script-less pages).
    const pick = charted.has(i);
    const rank = pick
      ? `<a class="hc-pick" href="#${chartId(i)}" title="Show its latency charts">${i + 1}</a>`
      : `${i + 1}`;
    return `<tr${pick ? ` data-hc="${chartId(i)}"` : ''}>
<td class="num">${rank}</td>
<td><a href="${escapeHtml(link)}" class="handler-name">${escapeHtml(h.name)}</a><div class="muted">${escapeHtml(h.plugin ?? '')}</div></td>
<td class="num" style="${heatStyle(h.timing.p95)}">${escapeHtml(formatMs(h.timing.p95))}</td>
<td class="num">${escapeHtml(formatMs(h.timing.p50))}</td>
<td class="num">${escapeHtml(formatMs(h.timing.max))}</td>
<td class="num">${escapeHtml(formatMs(h.beatTiming.p95))}</td>
<td class="num">${escapeHtml(formatMs(h.overhead.p95))}</td>
<td class="num">${escapeHtml(formatCount(h.executions))}</td>
<td class="num">${h.errors > 0 ? `<span class="pill error">${escapeHtml(h.errors)}</span>` : '0'}</td>
<td class="num">${escapeHtml(h.settledAfterBeat)}</td>
<td class="mono">${sourceHtml(h.sourceFile, h.sourceLine, sourceUrl)}</td>
</tr>`;
  });
  return `<table id="slowest">
<thead><tr><th class="num">#</th><th>handler</th><th class="num">p95 handler time</th><th class="num">p50</th><th class="num">max</th>
<th class="num">p95 beat time</th><th class="num">p95 overhead</th><th class="num">runs</th><th class="num">errors</th><th class="num">async</th><th>source</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`;
}

/** The scale's steps, as in the terminal and Markdown reports. */
function legend(): string {
  const steps = heatScale
    .map((s) => `<span class="swatch" style="background:${s.css}"></span><span>${escapeHtml(s.label)}</span>`)
    .join('');
  return `<div class="legend">p95 handler time ${steps}<span class="swatch" style="background:${UNTIMED}"></span><span class="muted">ran, untimed</span></div>`;
}

interface Geometry {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

function heatmapSvg(
  r: HandlerPerformanceReport,
  rows: HandlerPerformanceReport['matrix']['rows'],
  g: Geometry,
): string {
  const m = r.matrix;
  // Values are step indexes of the shared scale (heatmap-scale.ts); -1 marks cells that ran untimed.
  const data: [number, number, number][] = [];
  rows.forEach((row, y) => {
    row.cells.forEach((cell, x) => {
      if (cell) data.push([x, y, cell.p95 === null ? -1 : heatScale.indexOf(heatStep(cell.p95))]);
    });
  });
  const pieces = [{ lt: 0, color: UNTIMED }, ...heatScale.map((s, i) => ({ gte: i, lt: i + 1, color: s.css }))];
  return svgChart(
    {
      grid: { left: g.left, right: g.right, top: g.top, bottom: g.bottom },
      xAxis: {
        type: 'category',
        data: m.buckets.map((b) => new Date(b.startMs).toISOString().slice(5, 16).replace('T', ' ')),
        axisLabel: { fontSize: 10, rotate: 40, color: '#52606d' },
        splitArea: { show: true },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((row) => row.name),
        axisLabel: { fontSize: 11, color: '#1f2933', width: g.left - 12, overflow: 'truncate' },
      },
      visualMap: { type: 'piecewise', show: false, dimension: 2, pieces },
      series: [{ type: 'heatmap', data, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
    },
    g.width,
    g.height,
  );
}

function cellTitle(name: string, cell: HeatmapCell, from: number, to: number): string {
  return `${name} · ${new Date(from).toISOString()} – ${new Date(to).toISOString()} · ${cell.executions} runs · p95 ${formatMs(cell.p95)}`;
}

function heatmapSection(r: HandlerPerformanceReport, index: TimelineIndex, charted: ReadonlySet<number>): string {
  const m = r.matrix;
  const rows = m.rows.slice(0, MAX_ROWS);
  if (m.buckets.length === 0 || rows.length === 0)
    return '<p class="muted">No timestamps in these logs: the time-bucket heatmap needs them.</p>';
  const g: Geometry = { width: 1200, height: 90 + rows.length * 24, left: 190, top: 10, right: 20, bottom: 80 };
  const cw = (g.width - g.left - g.right) / m.buckets.length;
  const ch = (g.height - g.top - g.bottom) / rows.length;
  const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(3)}%`;
  const overlay: string[] = [];
  const rowPicks: string[] = [];
  const drills: string[] = [];
  index.prefetchHandlerRuns(
    rows.flatMap((row) => row.cells.flatMap((c) => c?.executionIds.slice(0, LINKS_PER_CELL) ?? [])),
  );
  rows.forEach((row, y) => {
    // Rows are in `handlers` order: the row label picks that handler's charts.
    if (charted.has(y)) {
      rowPicks.push(
        `<a class="hc-pick row-pick" href="#${chartId(y)}" title="${escapeHtml(`${handlerLabel(row.name, row.plugin)}: latency charts`)}" style="left:0;top:${pct(g.top + y * ch, g.height)};width:${pct(g.left, g.width)};height:${pct(ch, g.height)}"></a>`,
      );
    }
    row.cells.forEach((cell, x) => {
      if (!cell) return;
      const id = `cell-${y}-${x}`;
      const bucket = m.buckets[x]!;
      const title = cellTitle(handlerLabel(row.name, row.plugin), cell, bucket.startMs, bucket.endMs);
      overlay.push(
        `<a href="#${id}" title="${escapeHtml(title)}" style="left:${pct(g.left + x * cw, g.width)};top:${pct(g.top + y * ch, g.height)};width:${pct(cw, g.width)};height:${pct(ch, g.height)}"></a>`,
      );
      const from = index.axisOf(bucket.startMs);
      const to = index.axisOf(bucket.endMs);
      const range = from === null || to === null ? '' : `&from=${from}&to=${to}`;
      const all = `timeline.html#handler=${encodeURIComponent(handlerLabel(row.name, row.plugin))}${range}`;
      const links = cell.executionIds.slice(0, LINKS_PER_CELL).map((hid) => {
        const href = index.href({ handlerRunId: hid });
        return `<li>${href ? `<a href="${escapeHtml(href)}">${escapeHtml(hid)}</a>` : escapeHtml(hid)}</li>`;
      });
      const more =
        cell.executions > links.length ? `<li class="muted">… ${cell.executions - links.length} more</li>` : '';
      drills.push(`<section class="drill panel" id="${id}"><h3>${escapeHtml(title)}</h3>
<p><a href="${escapeHtml(all)}">Show all runs of this handler in this bucket on the timeline</a></p><ol class="mono">${links.join('')}${more}</ol></section>`);
    });
  });
  const clipped =
    m.rows.length > rows.length
      ? `<p class="muted">Showing the ${rows.length} slowest of ${m.rows.length} handlers.</p>`
      : '';
  return `${legend()}
<div class="heat-wrap chart">${heatmapSvg(r, rows, g)}<div class="heat-cells">${overlay.join('')}</div><div class="heat-rows">${rowPicks.join('')}</div></div>
${clipped}<p class="muted">Buckets of ${escapeHtml(formatMs(m.bucketWidthMs))} of session time (idle time between sessions left out). Click a cell for its executions.</p>
${drills.join('\n')}`;
}

export function renderHeatmapPage(ctx: PageContext, r: HandlerPerformanceReport, index: TimelineIndex): string {
  const s = r.summary;
  const charted = chartedPositions(r);
  const notes = r.notes.map((n) => `<div class="note">${escapeHtml(n)}</div>`).join('');
  const body = `<h1>Handler performance</h1>
<p class="lead">${escapeHtml(formatCount(s.totalExecutions))} handler runs of ${escapeHtml(formatCount(s.totalHandlers))} handlers; ${
    s.slowestHandler !== null
      ? `slowest by p95: <strong id="slowest-name">${escapeHtml(s.slowestHandler)}</strong>.`
      : s.totalExecutions > 0
        ? 'none was timed (these logs have no handler settle lines): the table ranks them by beat time.'
        : 'nothing to rank.'
  }</p>
<div class="panel measures"><strong>Which number is which</strong>
<div><span class="pill">handler time</span> ${escapeHtml(r.measures.handlerTime)}</div>
<div><span class="pill">beat time</span> ${escapeHtml(r.measures.beatTime)}</div>
<div><span class="pill">overhead</span> ${escapeHtml(r.measures.overhead)} · ${escapeHtml(s.overheadShare === null ? 'share unknown' : `${(s.overheadShare * 100).toFixed(1)}% of beat time`)}</div></div>
${notes}
<h2>Top ${TOP_N} slowest handlers (by p95 handler time)</h2>
${legend()}
<div class="panel">${slowestTable(r, charted, ctx.sourceUrl)}</div>
${handlerChartsSection(r)}
<h2>Handler × time heatmap</h2>
<div class="panel">${heatmapSection(r, index, charted)}</div>`;
  return renderPage(ctx, {
    id: 'heatmap',
    title: 'Handler performance',
    body,
    css: HEATMAP_CSS + HANDLER_CHARTS_CSS,
    scripts: charted.size > 0 ? [HANDLER_CHARTS_SCRIPT] : [],
  });
}

const HEATMAP_CSS = `
.measures div{margin-top:4px;font-size:13px}
.heat-wrap{position:relative;max-width:1200px}
.heat-wrap svg{display:block;width:100%;height:auto}
.heat-cells a,.heat-rows a{position:absolute;display:block}
.heat-cells a:hover{outline:2px solid #1f2933}
.heat-rows a:hover{background:rgba(31,41,51,.08)}
.drill{display:none}
.drill:target{display:block;border-color:#1f2933}
.drill ol{columns:2;font-size:12px}
.legend{flex-wrap:wrap;row-gap:2px}
.legend span{white-space:nowrap}
`;
