/** Flows page: fitness per sequence, violations grouped by kind (with run, log line and a timeline link), drift. */
import type { FlowReport, SequenceDrift, Violation } from '../../analyses/flow-types.js';
import { violationKinds } from '../../analyses/flow-types.js';
import { escapeHtml, formatCount, type PageContext, renderPage } from '../html-layout.js';
import type { TimelineIndex } from '../timeline-index.js';

const MAX_PER_KIND = 200;

function fitnessBar(value: number | null): string {
  if (value === null) return '<span class="muted">never ran</span>';
  const pct = Math.round(value * 100);
  const color = value >= 0.99 ? '#2e7d32' : value >= 0.8 ? '#f0a500' : '#c62828';
  return `<span class="fit"><span style="width:${pct}%;background:${color}"></span></span> ${pct}%`;
}

function sequencesTable(r: FlowReport): string {
  const rows = r.sequences.map((s) => {
    const kinds = Object.entries(s.violations)
      .map(([k, n]) => `<span class="pill">${escapeHtml(k)} ${escapeHtml(n)}</span>`)
      .join(' ');
    return `<tr><td>${escapeHtml(s.sequenceName)}<div class="muted mono">${escapeHtml(s.sequenceId ?? '')}</div></td>
<td>${escapeHtml(s.pluginId ?? '')}</td><td>${s.defined ? 'yes' : '<span class="muted">no</span>'}</td><td>${s.mounted ? 'yes' : '<span class="muted">no</span>'}</td>
<td class="num">${escapeHtml(s.runs)}</td><td class="num">${escapeHtml(s.conformingRuns)}</td><td class="nowrap">${fitnessBar(s.fitness)}</td><td>${kinds}</td></tr>`;
  });
  return `<table id="fitness"><thead><tr><th>sequence</th><th>plugin</th><th>defined</th><th>mounted</th><th class="num">runs</th>
<th class="num">conforming</th><th>fitness</th><th>violations</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function violationRow(v: Violation, index: TimelineIndex): string {
  const href = index.href({ beatRunId: v.beatRunId, runId: v.runId });
  const line = index.line({ beatRunId: v.beatRunId, runId: v.runId });
  const where = [v.beat === null ? null : `beat ${v.beat}`, v.event, v.handler].filter((x) => x !== null).join(' · ');
  const run = v.runId
    ? href
      ? `<a href="${escapeHtml(href)}">${escapeHtml(v.runId)}</a>`
      : escapeHtml(v.runId)
    : '<span class="muted">—</span>';
  return `<tr><td><span class="pill ${escapeHtml(v.severity)}">${escapeHtml(v.severity)}</span></td>
<td>${escapeHtml(v.sequenceName ?? v.sequenceId ?? '')}</td><td>${escapeHtml(v.message)}</td><td class="mono">${escapeHtml(where)}</td>
<td class="mono">${run}</td><td class="num">${line === null ? '—' : escapeHtml(line)}</td></tr>`;
}

function violationsByKind(r: FlowReport, index: TimelineIndex): string {
  const groups = violationKinds
    .map((kind) => ({ kind, items: r.violations.filter((v) => v.kind === kind) }))
    .filter((g) => g.items.length > 0);
  if (groups.length === 0) return '<p>No violations.</p>';
  return groups
    .map((g) => {
      const shown = g.items.slice(0, MAX_PER_KIND);
      const more =
        g.items.length > shown.length
          ? `<p class="muted">… ${g.items.length - shown.length} more (see the JSON report)</p>`
          : '';
      return `<details class="panel kind" open id="kind-${escapeHtml(g.kind)}"><summary><strong>${escapeHtml(g.kind)}</strong> <span class="pill">${escapeHtml(formatCount(g.items.length))}</span></summary>
<table><thead><tr><th>severity</th><th>sequence</th><th>message</th><th>where</th><th>run</th><th class="num">line</th></tr></thead>
<tbody>${shown.map((v) => violationRow(v, index)).join('')}</tbody></table>${more}</details>`;
    })
    .join('\n');
}

function driftList(drift: readonly SequenceDrift[]): string {
  if (drift.length === 0) return '';
  const beat = (b: { beat: number | null; event: string | null; handler: string | null }) =>
    escapeHtml([b.beat === null ? null : `beat ${b.beat}`, b.event, b.handler].filter((x) => x !== null).join(' · '));
  const items = drift.map(
    (
      d,
    ) => `<div class="panel"><h3>${escapeHtml(d.sequenceName)} <span class="muted mono">${escapeHtml(d.sequenceId)}</span></h3>
<p class="muted">compared over ${escapeHtml(d.runs)} completed runs</p>
${d.missingInRuns.length ? `<div>Defined, never ran: ${d.missingInRuns.map(beat).join('; ')}</div>` : ''}
${d.extraInRuns.length ? `<div>Ran, not defined: ${d.extraInRuns.map(beat).join('; ')}</div>` : ''}
${d.handlerChanged.length ? `<div>Handler changed: ${d.handlerChanged.map((c) => `${beat(c)} (defined ${escapeHtml(c.definedHandler)})`).join('; ')}</div>` : ''}</div>`,
  );
  return `<h2>Drift: code against production</h2>${items.join('')}`;
}

export function renderFlowsPage(ctx: PageContext, r: FlowReport, index: TimelineIndex): string {
  const s = r.summary;
  const fit = s.fitness === null ? '—' : `${(s.fitness * 100).toFixed(1)}%`;
  const unchecked = r.unchecked.length
    ? `<div class="note">Not checked without a code index: ${r.unchecked.map(escapeHtml).join(', ')}.</div>`
    : '';
  const body = `<h1>Flows</h1>
<p class="lead"><strong id="flow-fitness">${escapeHtml(fit)}</strong> of ${escapeHtml(formatCount(s.sequenceRuns))} runs conform; ${escapeHtml(formatCount(s.violations))} violations.</p>
${unchecked}${r.notes.map((n) => `<div class="note">${escapeHtml(n)}</div>`).join('')}
<h2>Fitness per sequence</h2>
<div class="panel">${sequencesTable(r)}</div>
<h2>Violations by kind</h2>
${violationsByKind(r, index)}
${driftList(r.drift)}`;
  return renderPage(ctx, { id: 'flows', title: 'Flows', body, css: FLOWS_CSS });
}

const FLOWS_CSS = `
.fit{display:inline-block;width:80px;height:8px;background:#edf0f3;border-radius:4px;overflow:hidden;vertical-align:middle}
.fit span{display:block;height:100%}
.nowrap{white-space:nowrap}
details.kind summary{font-size:14px;margin-bottom:6px}
`;
