import { describe, expect, it } from 'vitest';
import { formatMs } from '../html-layout.js';
import { horizontalBarSvg } from './bar-chart.js';
import { latencyHistogramSvg, p95BySessionSvg, paddedBins } from './handler-charts.js';

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

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('one handler latency charts (echarts SSR to SVG)', () => {
  const bins = [
    { fromMs: 4, toMs: 6, count: 3 },
    { fromMs: 6, toMs: 8, count: 0 },
    { fromMs: 8, toMs: 12, count: 1 },
  ];

  it('widens a narrow histogram with empty ladder bins on both sides, never below 0 ms', () => {
    expect(paddedBins(bins).map((b) => [b.fromMs, b.toMs, b.count])).toEqual([
      [2, 3, 0],
      [3, 4, 0],
      [4, 6, 3],
      [6, 8, 0],
      [8, 12, 1],
      [12, 16, 0],
      [16, 24, 0],
      [24, 32, 0],
    ]);
    expect(paddedBins([{ fromMs: 0, toMs: 1, count: 2 }]).map((b) => b.fromMs)).toEqual([0, 1, 2, 3, 4, 6, 8, 12]);
    expect(paddedBins([])).toEqual([]);
  });

  it('draws a bar per bin labelled with its count, the p95 bin in orange', () => {
    const svg = latencyHistogramSvg(bins, 9);
    const t = texts(svg);
    // Counts above the non-empty bars, in bin order; the bins' ranges on the axis.
    expect(t.filter((s) => s === '3' || s === '1').slice(-2)).toEqual(['3', '1']);
    for (const label of ['4–6', '6–8', '8–12']) expect(t).toContain(label);
    expect(svg.match(/fill="#c2410c"/g)).toHaveLength(1);
    expect(latencyHistogramSvg(bins, null)).not.toContain('#c2410c');
  });

  it('plots p95 per session in order, a gap for a session without timed runs, the overall p95 dashed', () => {
    const svg = p95BySessionSvg(
      [
        { sessionId: 's1', startMs: Date.UTC(2026, 10, 20, 9, 0), executions: 2, timedExecutions: 2, p95: 12.5 },
        { sessionId: 's2', startMs: Date.UTC(2026, 10, 20, 10, 1), executions: 1, timedExecutions: 0, p95: null },
        { sessionId: 's3', startMs: null, executions: 3, timedExecutions: 3, p95: 40.25 },
      ],
      38,
    );
    const t = texts(svg);
    expect(t.filter((s) => /^\d{2}-\d{2} \d{2}:\d{2}$|^s\d$/.test(s!))).toEqual(['11-20 09:00', '11-20 10:01', 's3']);
    expect(t).toContain('12.5 ms');
    expect(t).toContain('40.25 ms');
    expect(t).toContain('all sessions 38 ms');
    expect(t).not.toContain('—');
  });
});
