/**
 * A horizontal bar chart as an inline SVG string, rendered server-side by echarts (SVG renderer, `ssr: true`):
 * no script in the page. Labels come from logs (handler and sequence names): echarts' SVG renderer encodes
 * text content (`<` → `&lt;`, `&` → `&amp;`), so they are passed raw (escaping here would show `&amp;lt;`);
 * charts.test.ts holds this with a hostile name.
 */
import { svgChart } from './svg-chart.js';

export interface BarChartInput {
  /** Bar labels, top to bottom (log text, encoded by the SVG renderer). */
  readonly labels: readonly string[];
  readonly values: readonly number[];
  /** Formats a value for the bar's end label and the axis, e.g. a millisecond formatter. */
  readonly format: (value: number) => string;
  readonly color?: string;
  /** px; height grows with the number of bars (24 px each). */
  readonly width?: number;
}

export function horizontalBarSvg(input: BarChartInput): string {
  const width = input.width ?? 560;
  const height = 40 + input.labels.length * 24;
  return svgChart(
    {
      grid: { left: 170, right: 70, top: 8, bottom: 24 },
      xAxis: {
        type: 'value',
        axisLabel: { fontSize: 10, color: '#52606d', formatter: (v: number) => input.format(v) },
        splitLine: { lineStyle: { color: '#edf0f3' } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: [...input.labels],
        axisLabel: { fontSize: 11, color: '#1f2933', width: 160, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          data: [...input.values],
          barMaxWidth: 16,
          itemStyle: { color: input.color ?? '#4e79a7' },
          label: {
            show: true,
            position: 'right',
            fontSize: 10,
            formatter: (p: { value: number }) => input.format(p.value),
          },
        },
      ],
    },
    width,
    height,
  );
}
