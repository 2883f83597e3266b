/**
 * One handler's per-session times with its change points marked, as inline SVG rendered server-side by echarts
 * (SVG renderer, `ssr: true`, no script; the path of handler-charts.ts). Sessions left to right by start time; the
 * dots are each session's median handler time, the step line the median of each segment between change points,
 * and a dashed vertical line stands at the first session after each change. No log text inside the SVG: axis
 * labels are session start times, the handler's name is in the caption outside it.
 */
import type { TrendSeries } from '../../analyses/trends/trends-types.js';
import { formatMs } from '../html-layout.js';
import { svgChart } from './svg-chart.js';

/**
 * px of the SVG's own coordinate space; the page shrinks it to narrower columns: on a 390 px phone its 12 px
 * text still reads at about 9 px (as the heatmap's charts).
 */
export const TREND_CHART_WIDTH = 480;
const HEIGHT = 260;
const AXIS = { fontSize: 12, color: '#52606d' };

const label = (startMs: number) => new Date(startMs).toISOString().slice(5, 16).replace('T', ' ');

/** `levels`: the p50 of each segment (the report's before/after p50s), `changes`: each change point's relative change. */
export function trendChartSvg(series: TrendSeries, levels: readonly number[], changes: readonly number[]): string {
  const cats = series.points.map((p) => label(p.startMs));
  const bounds = [0, ...series.changesAt, series.points.length];
  const step = series.points.map((_, i) => {
    let k = 0;
    while (i >= bounds[k + 1]!) k++;
    return levels[k] ?? null;
  });
  return svgChart(
    {
      grid: { left: 56, right: 24, top: 36, bottom: 62 },
      legend: {
        top: 0,
        right: 8,
        itemGap: 28,
        textStyle: { fontSize: 11, color: '#52606d' },
        itemWidth: 14,
        itemHeight: 8,
      },
      xAxis: {
        type: 'category',
        data: cats,
        boundaryGap: true,
        name: 'session (by start time, UTC)',
        nameLocation: 'middle',
        nameGap: 44,
        nameTextStyle: AXIS,
        axisLabel: { ...AXIS, rotate: cats.length > 4 ? 30 : 0, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        name: 'handler time, ms',
        nameTextStyle: AXIS,
        min: 0,
        axisLabel: { ...AXIS, formatter: (v: number) => formatMs(v) },
        splitLine: { lineStyle: { color: '#edf0f3' } },
      },
      series: [
        {
          name: 'session median',
          type: 'scatter',
          data: series.points.map((p) => p.p50),
          symbolSize: 8,
          itemStyle: { color: '#4e79a7' },
        },
        {
          name: 'segment median',
          type: 'line',
          step: 'middle',
          data: step,
          showSymbol: false,
          lineStyle: { color: '#c2410c', width: 2 },
          itemStyle: { color: '#c2410c' },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#b91c1c', type: 'dashed', width: 1.5 },
            label: {
              formatter: (p: { name?: string }) => p.name ?? '',
              fontSize: 11,
              color: '#b91c1c',
              position: 'end',
            },
            data: series.changesAt.map((at, k) => ({
              xAxis: at,
              name: `${(changes[k] ?? 0) >= 0 ? '+' : ''}${Math.round((changes[k] ?? 0) * 100)} %`,
            })),
          },
        },
      ],
    },
    TREND_CHART_WIDTH,
    HEIGHT,
  );
}
