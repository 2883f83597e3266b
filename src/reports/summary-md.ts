/**
 * `summary.md` for a pull-request comment: the three reports in one short page — top 5 slow handlers, findings by
 * kind, coverage quadrants and the handlers production runs without tests. Any report may be left out.
 */
import type { CoverageReport } from '../analyses/coverage-types.js';
import type { FlowReport } from '../analyses/flow-types.js';
import { handlersByTiming } from '../analyses/handler-performance.js';
import type { HandlerPerformanceReport } from '../analyses/handler-performance-types.js';
import { quadrantsMd, untestedUsedMd } from './coverage/coverage-md.js';
import { violationsByKindMd } from './flows/flows-md.js';
import { heatStep } from './heatmap/heatmap-scale.js';
import { count, ms, overheadText, pct } from './report-format.js';
import { markdownTable } from './text-table.js';

export interface SummaryInput {
  readonly heatmap?: HandlerPerformanceReport;
  readonly flows?: FlowReport;
  readonly coverage?: CoverageReport;
}

const TOP = 5;

export function renderSummaryMd({ heatmap, flows, coverage }: SummaryInput): string {
  const out = ['# beatscope summary', ''];
  if (heatmap) {
    const top = handlersByTiming(heatmap.handlers).timed.slice(0, TOP);
    out.push(
      `## Slowest handlers (p95 handler time, ms)`,
      '',
      top.length === 0
        ? '_No timed handler executions._'
        : markdownTable(
            [
              { header: '' },
              { header: 'Handler' },
              { header: 'Plugin' },
              { header: 'Runs', align: 'right' },
              { header: 'p95', align: 'right' },
              { header: 'Beat p95', align: 'right' },
            ],
            top.map((h) => [
              heatStep(h.timing.p95!).emoji,
              `\`${h.name}\``,
              h.plugin ?? '–',
              count(h.executions),
              ms(h.timing.p95),
              ms(h.beatTiming.p95),
            ]),
          ),
      '',
      `Orchestration overhead: ${overheadText(heatmap.summary)}.`,
      '',
    );
  }
  if (flows) {
    out.push(`## Flow findings (fitness ${pct(flows.summary.fitness)})`, '', violationsByKindMd(flows), '');
  }
  if (coverage) {
    const risky = coverage.handlers.filter((h) => h.quadrant === 'used-untested');
    out.push(
      '## Coverage',
      '',
      quadrantsMd(coverage),
      '',
      `### Used but untested (${risky.length})`,
      '',
      risky.length === 0 ? 'None.' : untestedUsedMd(risky),
      '',
    );
  }
  if (!heatmap && !flows && !coverage) out.push('_No report data._', '');
  return out.join('\n');
}
