/** The state report: per DataBaton key, which handlers write it and where two write it within one request. */
import { buildState } from '../../analyses/state/build-state.js';
import type { StateReport } from '../../analyses/state/state-types.js';
import { formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel } from '../html-overview.js';
import { defineReport } from '../report-definition.js';
import { timelineTrace, withWindowNote } from '../timeline-of.js';
import { renderStatePage } from './html-state.js';
import { renderStateText } from './state-text.js';

export const stateReport = defineReport<StateReport>({
  name: 'state',
  title: 'State',
  schema: { schema: 'beatscope/state', version: 1 },
  requiresCode: false,
  reads: ['timeline'],
  analyze: (input) =>
    withWindowNote(
      input,
      buildState(timelineTrace(input), input.code, {
        key: input.options?.stateKey,
        requestId: input.options?.stateRequest,
        files: input.files,
      }),
    ),
  text: renderStateText,
  page: (ctx, report) => renderStatePage(ctx, report),
  card: (r) =>
    overviewPanel(
      'state',
      'State',
      `<div class="cards">
${card('DataBaton keys', formatCount(r.summary.keys))}
${card('writes', formatCount(r.summary.writes))}
${card('keys with conflicts', formatCount(r.summary.keysWithConflicts), { bad: r.summary.keysWithConflicts > 0 })}
</div>`,
    ),
  headline: (r) => `state: ${r.summary.keys} DataBaton keys, ${r.summary.keysWithConflicts} with conflicting writes`,
});
