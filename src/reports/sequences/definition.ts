/** The sequences report: each sequence as production runs it (what `beatscope docs` writes as Markdown pages). */
import type { DocsReport } from '../../analyses/docs/docs-types.js';
import { buildSequenceDocs } from '../../analyses/docs/sequence-docs.js';
import { validateFlowsOnce } from '../../analyses/flow-validation.js';
import { formatCount } from '../html-layout.js';
import { overviewCard as card, overviewPanel } from '../html-overview.js';
import { defineReport } from '../report-definition.js';
import { timelineTrace, withWindowNote } from '../timeline-of.js';
import { renderSequencesPage } from './html-sequences.js';
import { renderSequencesMd, renderSequencesText } from './sequences-text.js';

export const sequencesReport = defineReport<DocsReport>({
  name: 'sequences',
  title: 'Sequences',
  schema: { schema: 'beatscope/sequences', version: 1 },
  requiresCode: false,
  reads: ['timeline'],
  // On a large store the window's runs, with the whole store's drift (the flow report streams every run).
  analyze: (input) =>
    withWindowNote(
      input,
      buildSequenceDocs(
        timelineTrace(input),
        input.code,
        (input.aggregates?.flows ?? validateFlowsOnce(input.data, input.code)).drift,
      ),
    ),
  text: renderSequencesText,
  md: renderSequencesMd,
  page: (ctx, report) => renderSequencesPage(ctx, report),
  card: (r) =>
    overviewPanel(
      'sequences',
      'Sequences',
      `<div class="cards">
${card('sequences', formatCount(r.sequences.length))}
${card('never ran', formatCount(r.sequences.filter((s) => s.runs === 0).length))}
${card('with drift', formatCount(r.sequences.filter((s) => s.drift !== null).length), { bad: r.sequences.some((s) => s.drift !== null) })}
</div>`,
    ),
  headline: (r) =>
    `sequences: ${r.sequences.length} documented, ${r.sequences.filter((s) => s.runs === 0).length} never ran`,
});
