/**
 * The Findings page: the error matrix, then each finding with its explanation, source link, root-cause hints and
 * evidence linked into the timeline; filters by severity, kind and text (web/findings-client.ts).
 */
import {
  type ErrorMatrix,
  type Finding,
  type FindingsReport,
  findingKinds,
  findingSeverities,
} from '../../analyses/findings/findings-types.js';
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
    const link = href
      ? ` <a href="${escapeHtml(href)}">timeline</a>`
      : index.windowed && e.logFile
        ? ` <span class="muted">not on this timeline's window: <code>beatscope report timeline ${e.logLine === null ? '--log' : '--at'} "${escapeHtml(where)}" --format html</code></span>`
        : '';
    return `<li><span class="mono">${escapeHtml(where)}</span>${e.requestId ? ` <span class="muted">request ${escapeHtml(e.requestId)}</span>` : ''}${link}</li>`;
  });
  const more =
    f.count > f.evidence.length ? `<li class="muted">… and ${escapeHtml(f.count - f.evidence.length)} more</li>` : '';
  return `<details><summary>evidence (${escapeHtml(f.evidence.length)} of ${escapeHtml(f.count)})</summary><ul class="evidence">${rows.join('')}${more}</ul></details>`;
}

/** Root-cause hints: each fact with its counts in failing and succeeding runs. */
function hintsHtml(f: Finding): string {
  if (!f.hints || f.hints.length === 0) return '';
  const rows = f.hints.map(
    (h) =>
      `<tr><td>${proseHtml(h.text)}</td><td class="num">${escapeHtml(h.failing.with)}/${escapeHtml(h.failing.of)}</td><td class="num">${escapeHtml(h.succeeding.with)}/${escapeHtml(h.succeeding.of)}</td><td class="num">${escapeHtml(h.lift.toFixed(1))}×</td><td class="num">${escapeHtml(h.pValue.toExponential(1))}</td></tr>`,
  );
  return `<table class="hints"><caption>What sets the failing runs apart</caption><thead><tr><th>fact</th><th>failing runs</th><th>other runs</th><th>lift</th><th>p</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Handler × error signature × sequence: failing runs / runs that executed the handler, shaded by that share. */
function matrixHtml(m: ErrorMatrix): string {
  if (m.rows.length === 0 || m.sequences.length === 0) return '';
  const head = m.sequences.map((s) => `<th class="seq"><span>${escapeHtml(s)}</span></th>`).join('');
  const rows = m.rows.map((r) => {
    const cells = r.cells.map((c) => {
      if (c === null) return '<td class="none"></td>';
      const share = c.runs > 0 ? c.failing / c.runs : 0;
      const title = `${c.failing} of ${c.runs} runs failed`;
      return `<td class="num" style="background:rgba(198,40,40,${(0.08 + 0.6 * share).toFixed(2)})" title="${escapeHtml(title)}">${escapeHtml(c.failing)}/${escapeHtml(c.runs)}</td>`;
    });
    return `<tr><th><a href="#${escapeHtml(r.findingId)}">${escapeHtml(r.handler)}</a> <span class="muted">${escapeHtml(r.plugin)}</span><div class="sig mono">${escapeHtml(r.message)}</div></th>${cells.join('')}</tr>`;
  });
  return `<details class="panel matrix" open><summary>Errors by handler, signature and sequence (failing runs / runs that executed the handler)</summary><div class="scroll"><table><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}

function findingHtml(f: Finding, ctx: PageContext, index: TimelineIndex): string {
  const src = f.file ? `<div class="src">${sourceHtml(f.file, f.line, ctx.sourceUrl)}</div>` : '';
  return `<section class="panel finding ${escapeHtml(f.severity)}" id="${escapeHtml(f.id)}" data-severity="${escapeHtml(f.severity)}" data-kind="${escapeHtml(f.kind)}">
<div class="head"><span class="pill ${escapeHtml(f.severity === 'note' ? 'info' : f.severity)}">${escapeHtml(f.severity)}</span> <strong>${escapeHtml(f.kind)}</strong> <span class="muted mono">${escapeHtml(f.id)}</span></div>
<h3>${escapeHtml(f.title)}</h3>
<p>${proseHtml(f.explanation)}</p>
${src}${hintsHtml(f)}${evidenceHtml(f, index)}
</section>`;
}

/** The filter bar, hidden until the page's script shows it: severities with counts, kinds present, a text box. */
function filterHtml(report: FindingsReport): string {
  if (report.findings.length < 2) return '';
  const s = report.summary;
  const severities = findingSeverities
    .filter((sev) => s.bySeverity[sev] > 0)
    .map(
      (sev) =>
        `<label><input type="checkbox" name="severity" value="${escapeHtml(sev)}" checked> ${escapeHtml(sev)} (${escapeHtml(s.bySeverity[sev])})</label>`,
    );
  const kinds = findingKinds
    .filter((k) => (s.byKind[k] ?? 0) > 0)
    .map((k) => `<option value="${escapeHtml(k)}">${escapeHtml(k)} (${escapeHtml(s.byKind[k] ?? 0)})</option>`);
  return `<form id="findings-filter" class="panel filter" hidden>${severities.join(' ')}
<select name="kind" aria-label="kind"><option value="">all kinds</option>${kinds.join('')}</select>
<input type="search" name="q" placeholder="handler, plugin, sequence, message…" aria-label="search findings">
<span class="shown muted"></span></form>`;
}

export function renderFindingsPage(
  ctx: PageContext,
  report: FindingsReport,
  index: TimelineIndex,
  script?: string,
): string {
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
${filterHtml(report)}
${matrixHtml(report.errorMatrix)}
${report.findings.length === 0 ? '<p>No findings.</p>' : report.findings.map((f) => findingHtml(f, ctx, index)).join('\n')}
${suppressed}`;
  return renderPage(ctx, { id: 'findings', title: 'Findings', body, css: CSS, scripts: script ? [script] : [] });
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
table.hints{border-collapse:collapse;margin:6px 0;font-size:12px}
table.hints caption{text-align:left;font-weight:600;padding:2px 0}
table.hints td,table.hints th{border-bottom:1px solid #e0e0e0;padding:3px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.matrix .scroll{overflow-x:auto}
.matrix table{border-collapse:collapse;font-size:12px;margin-top:6px}
.matrix th,.matrix td{border:1px solid #e0e0e0;padding:3px 6px}
.matrix tbody th{text-align:left;font-weight:500;max-width:360px}
.matrix .sig{font-size:11px;color:#555;overflow-wrap:anywhere}
.matrix th.seq{vertical-align:bottom;font-weight:500;max-width:140px;overflow-wrap:anywhere}
.matrix td.none{background:#fafafa}
form.filter{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;font-size:13px}
form.filter input[type=search]{flex:1 1 200px;min-width:0;padding:4px 6px}
form.filter[hidden],section.finding[hidden],.matrix tr[hidden]{display:none}
`;
