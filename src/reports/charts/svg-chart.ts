/**
 * One chart rendered server-side by echarts to an SVG string (SVG renderer, `ssr: true`, no animation): every
 * chart of the report pages is drawn through here. echarts is loaded on the first chart, through `require`, which
 * resolves to its single-file CommonJS build: its ES module build is ~2,700 modules (echarts and zrender), and
 * importing it at start cost ~0.5 s of every command that loads the reports, whether it drew a chart or not
 * (`beatscope report findings --format json` on the demo store: 1.6 s, a third of it echarts).
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';

export type ChartOption = Echarts.EChartsCoreOption;

let loaded: typeof Echarts | undefined;

function echarts(): typeof Echarts {
  loaded ??= createRequire(import.meta.url)('echarts') as typeof Echarts;
  return loaded;
}

/** `option` (without `animation`, always off) drawn at `width` × `height` px, as an SVG string. */
export function svgChart(option: ChartOption, width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
