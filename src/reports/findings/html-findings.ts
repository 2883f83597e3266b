/** The Findings page: each finding with its explanation, source link, and evidence linked into the timeline. */
import type { Finding, FindingsReport } from '../../analyses/findings/findings-types.js';
import { escapeHtml, formatCount, type PageContext, renderPage, sourceHtml } from '../html-layout.js';
import type { TimelineIndex } from '../timeline-index.js';
import { severityCounts } from './severity-counts.js';

/** Escaped prose whose `backquoted` parts become `<code>`: escaping first leaves backquotes as they are. */
export function proseHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`\n]*)`/g, (_, code: string) => `<code>${code}</code>`);
}

function evidenceHtml(f: Finding, index: TimelineIndex): string {
  if (f.evidence.length === 0) return '';
  const rows = f.evidence.map((e) => {
    const href = index.href({ beatRunId: e.beatRunId ?? null, runId: e.runId ?? null });
    const where = `${e.logFile ?? e.session}${e.logLine === null ? '' : `:${e.logLine}`}`;
    const link = href ? ` <a href="${escapeHtml(href)}">timeline</a>` : '';
    return `<li><span class="mono">${escapeHtml(where)}</span>${e.requestId ? ` <span class="muted">request ${escapeHtml(e.requestId)}</span>` : ''}${link}</li>`;
  });
  const more =
    f.count > f.evidence.length ? `<li class="muted">… and ${escapeHtml(f.count - f.evidence.length)} more</li>` : '';
  return `<details><summary>evidence (${escapeHtml(f.evidence.length)} of ${escapeHtml(f.count)})</summary><ul class="evidence">${rows.join('')}${more}</ul></details>`;
}

function findingHtml(f: Finding, ctx: PageContext, index: TimelineIndex): string {
  const src = f.file ? `<div class="src">${sourceHtml(f.file, f.line, ctx.sourceUrl)}</div>` : '';
  return `<section class="panel finding ${escapeHtml(f.severity)}" id="${escapeHtml(f.id)}">
<div class="head"><span class="pill ${escapeHtml(f.severity === 'note' ? 'info' : f.severity)}">${escapeHtml(f.severity)}</span> <strong>${escapeHtml(f.kind)}</strong> <span class="muted mono">${escapeHtml(f.id)}</span></div>
<h3>${escapeHtml(f.title)}</h3>
<p>${proseHtml(f.explanation)}</p>
${src}${evidenceHtml(f, index)}
</section>`;
}

export function renderFindingsPage(ctx: PageContext, report: FindingsReport, index: TimelineIndex): string {
  const s = report.summary;
  const notes = report.notes.map((n) => `<p class="muted">${proseHtml(n)}</p>`).join('');
  const suppressed =
    report.suppressed.length === 0
      ? ''
      : `<details class="panel"><summary>${escapeHtml(report.suppressed.length)} suppressed (.beatscope/suppressions.json)</summary><ul>${report.suppressed
          .map(
            (x) =>
              `<li><span class="mono">${escapeHtml(x.id)}</span> ${escapeHtml(x.title)} — <em>${escapeHtml(x.reason)}</em></li>`,
          )
          .join('')}</ul></details>`;
  const body = `<h1>Findings</h1>
<p class="lead">${escapeHtml(severityCounts(s.bySeverity))} over ${escapeHtml(formatCount(s.sequenceRuns))} sequence runs and ${escapeHtml(formatCount(s.handlerRuns))} handler executions.</p>
${notes}
${report.findings.length === 0 ? '<p>No findings.</p>' : report.findings.map((f) => findingHtml(f, ctx, index)).join('\n')}
${suppressed}`;
  return renderPage(ctx, { id: 'findings', title: 'Findings', body, css: CSS });
}

const CSS = `
.finding h3{margin:6px 0 4px;font-size:15px;overflow-wrap:anywhere}
.finding p{margin:4px 0;overflow-wrap:anywhere}
.finding.error{border-left:4px solid #c62828}
.finding.warning{border-left:4px solid #f0a500}
.finding.note{border-left:4px solid #607d8b}
.finding .src{font-family:ui-monospace,monospace;font-size:12px;margin:4px 0}
ul.evidence{margin:4px 0;padding-left:18px;font-size:12px;overflow-wrap:anywhere}
.finding .head{overflow-wrap:anywhere}
`;
