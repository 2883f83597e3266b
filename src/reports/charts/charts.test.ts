import { describe, expect, it } from 'vitest';
import { formatMs } from '../html-layout.js';
import { horizontalBarSvg } from './bar-chart.js';

const HOSTILE = '<script>alert(1)</script>';

describe('bar chart (echarts SSR to SVG)', () => {
  it('draws one bar per value, labelled with the formatted value, and keeps log text as text', () => {
    const svg = horizontalBarSvg({
      labels: [HOSTILE, 'a & b', 'relaxLayout'],
      values: [5000, 211, 90.5],
      format: formatMs,
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<script');
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(texts).toContain('a &amp; b');
    for (const v of [5000, 211, 90.5]) expect(texts).toContain(formatMs(v));
    // Three bars: three filled rectangles/paths with the bar colour.
    expect(svg.match(/fill="#4e79a7"/g)).toHaveLength(3);
  });
});
