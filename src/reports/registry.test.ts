/**
 * Every registered report, on logs of the real conductor (the demo simulator) with the demo app indexed: each
 * format it declares renders, its JSON carries its schema and version, and the site has its page and its
 * overview card.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoTrace, demoTrace } from '../../test/demo/demo-trace.js';
import { writeHtmlReport } from './html-site.js';
import { allReports, reportNames } from './registry.js';
import type { ReportInput } from './report-definition.js';
import { runReports } from './run-reports.js';
import { renderSummaryMd } from './summary-md.js';

let demo: DemoTrace;
let input: ReportInput;
let dir: string;
beforeAll(async () => {
  demo = await demoTrace({ sessions: 1, seed: 7 });
  input = { data: demo.data, code: demo.code };
  dir = await mkdtemp(join(tmpdir(), 'beatscope-registry-'));
});
afterAll(async () => {
  demo?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const plain = { colors: false, generatedAt: '2026-11-21T12:00:00.000Z' };

describe('allReports', () => {
  it('names each report once, in the order the site and CLI show them', () => {
    expect(reportNames).toEqual([
      'findings',
      'heatmap',
      'flows',
      'coverage',
      'timeline',
      'graph',
      'state',
      'trends',
      'sequences',
    ]);
    expect(new Set(allReports.map((r) => r.schema.schema)).size).toBe(allReports.length);
  });

  for (const report of allReports) {
    it(`${report.name}: renders every format it declares on the demo logs`, () => {
      const run = report.run(input);
      expect(report.formats).toContain('html');
      for (const format of report.formats) {
        if (format === 'html') continue;
        const text = run.render(format, plain);
        expect(text.length, `${report.name} ${format}`).toBeGreaterThan(100);
      }
      const json = JSON.parse(run.render('json', plain));
      expect(json).toMatchObject({ schema: `beatscope/${report.name}`, version: report.schema.version });
      expect(json.version).toBeGreaterThanOrEqual(1);
      expect(json.generatedAt).toBe(plain.generatedAt);
    });
  }

  it('gives the site one page and one overview card per report, and summary.md a section per report that has one', async () => {
    const runs = runReports(input);
    expect(runs.map((r) => r.entry.name)).toEqual(reportNames);
    const pages = await writeHtmlReport(dir, {
      summary: demo.summary,
      input,
      runs,
      generatedAt: plain.generatedAt,
      sourceLabel: 'demo',
    });
    expect(pages.map((p) => p.split('/').pop())).toEqual(['index.html', ...reportNames.map((n) => `${n}.html`)]);
    const index = await readFile(join(dir, 'index.html'), 'utf8');
    for (const report of allReports) {
      expect(index, report.name).toContain(`<h2><a href="${report.name}.html">${report.title}</a></h2>`);
      const page = await readFile(join(dir, `${report.name}.html`), 'utf8');
      expect(page).toContain(`<a href="${report.name}.html" aria-current="page">${report.title}</a>`);
    }
    const md = renderSummaryMd(runs);
    expect(md).toContain('## Slowest handlers');
    expect(md).toContain('## Flow findings');
    expect(md).toContain('## Coverage');
  });
});
