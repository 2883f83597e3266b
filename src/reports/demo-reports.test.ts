/**
 * Terminal and Markdown output on logs of the real conductor (the demo simulator, seed 7, two sessions),
 * compared with snapshots after replacing run ids (they hash file content, which holds wall-clock timings),
 * durations, absolute paths and source line numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTrace, demoTrace } from '../../test/demo/demo-trace.js';
import { analyzeCoverage } from '../analyses/coverage.js';
import { validateFlows } from '../analyses/flow-validation.js';
import { analyzeHandlerPerformance } from '../analyses/handler-performance.js';
import { renderCoverageText } from './coverage/coverage-text.js';
import { renderFlowsText } from './flows/flows-text.js';
import { renderHeatmapText } from './heatmap/heatmap-text.js';
import { runReports } from './run-reports.js';
import { renderSummaryMd } from './summary-md.js';

let demo: DemoTrace;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 2, seed: 7 });
});
afterAll(() => demo?.cleanup());

const plain = { colors: false, generatedAt: '2026-11-21T12:00:00.000Z' };
function normalise(text: string): string {
  return (
    text
      .replaceAll(demo.code.root, '<demo-app>')
      .replace(/\b[0-9a-f]{16}:s\d+:r\d+\b/g, '<run>')
      .replace(/\d+(\.\d+)? (ms|s|min|%)(?!\w)/g, '<n> $2')
      // The demo app is still being edited: its line numbers move.
      .replace(/\.ts:\d+\b/g, '.ts:<line>')
  );
}

describe('reports on the demo app', () => {
  it('flows text', () => {
    expect(normalise(renderFlowsText(validateFlows(demo.data, demo.code), plain))).toMatchSnapshot();
  });

  it('coverage text', () => {
    expect(normalise(renderCoverageText(analyzeCoverage(demo.data, demo.code), plain))).toMatchSnapshot();
  });

  it('heatmap text puts the slow handler on the first row, with its source', () => {
    const text = renderHeatmapText(analyzeHandlerPerformance(demo.data, demo.code), plain);
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.trimStart().startsWith('p95 '));
    const first = lines[header + 1]!.trim().split(/\s+/);
    expect(first.slice(0, 3)).toEqual(['██████████', demo.truth.slowHandler.handler, demo.truth.slowHandler.pluginId]);
    expect(first.at(-1)).toBe('plugins/canvas-component/src/symphonies/arrange/arrange.layout.ts:24');
    expect(text).toContain('legend: ░ < 16 ms  ▒ 16–50 ms  ▓ 50–100 ms  █ ≥ 100 ms');
    expect(text).toContain('Async handlers, settled after their beat');
  });

  it('summary.md names the slow handler first and lists the untested handlers production runs', () => {
    const md = renderSummaryMd(runReports({ data: demo.data, code: demo.code }));
    const firstRow = md.split('\n').find((l) => l.startsWith('| 🔴') || l.startsWith('| 🟠'));
    expect(firstRow).toContain(`\`${demo.truth.slowHandler.handler}\``);
    for (const u of demo.truth.untestedHandlers.filter(
      (h) => h.handler !== 'enhanceLine' && h.handler !== 'validateField',
    )) {
      expect(md).toMatch(new RegExp(`\\| \`${u.handler}\` \\| ${u.pluginId} \\|`));
    }
  });
});
