/** The flow validator's overview panel and its `summary.md` section: findings by kind. */

import type { FlowReport } from '../../analyses/flow-types.js';
import { runsPerSequenceChart } from '../charts/overview-charts.js';
import { formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel, overviewPct } from '../html-overview.js';
import { pct } from '../report-format.js';
import { violationsByKindMd } from './flows-md.js';

export function flowsCard(f: FlowReport): string {
  return overviewPanel(
    'flows',
    'Flows',
    `<div class="cards">
${card('conforming runs', overviewPct(f.summary.fitness), { bad: (f.summary.fitness ?? 1) < 1 })}
${card('violations', formatCount(f.summary.violations), { bad: f.summary.violations > 0 })}
${card('sequences run', formatCount(f.summary.sequencesRun))}
${card('sequences defined', f.codeIndex ? formatCount(f.summary.sequencesDefined) : 'no code index')}
</div>
${runsPerSequenceChart(f)}`,
  );
}

export function flowsSummaryMd(flows: FlowReport): string {
  return [`## Flow findings (fitness ${pct(flows.summary.fitness)})`, '', violationsByKindMd(flows)].join('\n');
}
