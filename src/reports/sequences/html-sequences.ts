/**
 * The Sequences page: what `beatscope docs` writes as Markdown, in the site — one panel per sequence with its
 * production sample, beats in the order the most frequent path ran them (handler file:line, p50/p95, errors,
 * keys written and read), off-path and never-seen beats, drift and chained sequences. All names escaped.
 */
import type { BeatDoc, DocsReport, SequenceDoc } from '../../analyses/docs/docs-types.js';
import { formatMs } from '../../model/format-ms.js';
import { escapeHtml, formatCount, type PageContext, renderPage, sourceHtml } from '../html-layout.js';
import { counted, pct } from '../report-format.js';

/** Panels drawn; the JSON has every sequence. */
const MAX_SEQUENCES = 500;

export function renderSequencesPage(ctx: PageContext, report: DocsReport): string {
  const panels = report.sequences.slice(0, MAX_SEQUENCES).map((s) => sequencePanel(ctx, s));
  const more =
    report.sequences.length > MAX_SEQUENCES
      ? `<p class="muted">… ${formatCount(report.sequences.length - MAX_SEQUENCES)} more sequences (see sequences.json)</p>`
      : '';
  const body = `<h1>Sequences as they run in production</h1>
<p>${escapeHtml(counted(report.sequences.length, 'sequence'))}, ${escapeHtml(
    counted(
      report.sequences.reduce((n, s) => n + s.runs, 0),
      'run',
    ),
  )}. Each lists its beats in the order the most frequent path of its completed runs played them; <code>beatscope docs</code> writes the same as Markdown pages with a Mermaid diagram.</p>
${panels.join('\n')}${more}
${report.notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('\n')}`;
  return renderPage(ctx, { id: 'sequences', title: 'Sequences', body });
}

function sequencePanel(ctx: PageContext, s: SequenceDoc): string {
  const pills = [
    `<span class="pill">${escapeHtml(counted(s.runs, 'run'))}</span>`,
    s.runs === 0 ? '<span class="pill warning">never ran</span>' : '',
    s.failedRuns > 0 ? `<span class="pill error">${formatCount(s.failedRuns)} failed</span>` : '',
    s.drift ? '<span class="pill warning">drift</span>' : '',
    s.neverSeen.length > 0 && s.runs > 0
      ? `<span class="pill info">${escapeHtml(counted(s.neverSeen.length, 'beat'))} never seen</span>`
      : '',
  ].join(' ');
  const facts = [
    s.id === null ? '' : `id <span class="mono">${escapeHtml(s.id)}</span>`,
    s.plugin === null ? '' : `plugin <span class="mono">${escapeHtml(s.plugin)}</span>`,
    s.source === null
      ? 'no definition in the code index'
      : `defined in ${sourceHtml(s.source.file, s.source.line, ctx.sourceUrl)}`,
  ].filter((x) => x !== '');
  const parts = [`<p>${facts.join(' · ')}</p>`];
  if (s.description) parts.push(`<blockquote>${escapeHtml(s.description)}</blockquote>`);
  if (s.runs > 0)
    parts.push(
      `<p>${escapeHtml(counted(s.runs, 'run'))} in ${escapeHtml(counted(s.sessions, 'session'))}; ${formatCount(s.completedRuns)} completed (p50 ${escapeHtml(formatMs(s.time.p50))}, p95 ${escapeHtml(formatMs(s.time.p95))} over ${formatCount(s.time.n)} timed), ${formatCount(s.failedRuns)} failed. Beat order of ${escapeHtml(counted(s.pathRuns, 'run'))}:</p>`,
    );
  if (s.beats.length > 0) parts.push(beatTable(ctx, s.beats, s.runs));
  if (s.offPath.length > 0) parts.push('<h3>Off the main path</h3>', beatTable(ctx, s.offPath, s.runs));
  if (s.neverSeen.length > 0)
    parts.push(
      '<h3>Defined, never seen</h3>',
      `<ul>${s.neverSeen
        .map(
          (b) =>
            `<li>beat ${escapeHtml(b.beat ?? '?')} <span class="mono">${escapeHtml(b.event)}</span> → <span class="mono">${escapeHtml(b.handler ?? '—')}</span> ${sourceHtml(b.file, b.line, ctx.sourceUrl)}</li>`,
        )
        .join('')}</ul>`,
    );
  if (s.drift) {
    const d = s.drift;
    const beat = (b: { beat: number | null; event: string | null; handler: string | null }) =>
      `beat ${escapeHtml(b.beat ?? '?')} <span class="mono">${escapeHtml(b.event ?? '—')}</span> → <span class="mono">${escapeHtml(b.handler ?? '—')}</span>`;
    parts.push(
      `<h3>Drift over ${escapeHtml(counted(d.runs, 'completed run'))}</h3><ul>${[
        ...d.missingInRuns.map((b) => `<li>defined, run by none: ${beat(b)}</li>`),
        ...d.extraInRuns.map((b) => `<li>run by all, not defined: ${beat(b)}</li>`),
        ...d.handlerChanged.map(
          (b) => `<li>${beat(b)} ran instead of <span class="mono">${escapeHtml(b.definedHandler)}</span></li>`,
        ),
      ].join('')}</ul>`,
    );
  }
  const links = [
    ...s.starts.map((l) => `starts ${escapeHtml(l.name)} (${escapeHtml(counted(l.count, 'run'))})`),
    ...s.startedBy.map((l) => `started by ${escapeHtml(l.name)} (${escapeHtml(counted(l.count, 'run'))})`),
  ];
  if (links.length > 0) parts.push(`<p>${links.join(' · ')}</p>`);
  return `<details class="panel sequence-doc"><summary><strong>${escapeHtml(s.name)}</strong> ${pills}</summary>
${parts.join('\n')}</details>`;
}

function beatTable(ctx: PageContext, beats: readonly BeatDoc[], runs: number): string {
  const keys = (list: readonly string[], removed: readonly string[] = []) =>
    list.length + removed.length === 0
      ? '—'
      : [...list.map((k) => escapeHtml(k)), ...removed.map((k) => `−${escapeHtml(k)}`)].join(', ');
  const rows = beats
    .map(
      (
        b,
      ) => `<tr><td class="num">${escapeHtml(b.beat ?? (b.defined ? '?' : 'not defined'))}</td><td class="mono">${escapeHtml(b.event)}</td>
<td><span class="mono">${escapeHtml(b.handler ?? '—')}</span>${b.plugin ? ` <span class="muted">${escapeHtml(b.plugin)}</span>` : ''}<br>${sourceHtml(b.file, b.line, ctx.sourceUrl)}</td>
<td class="num">${formatCount(b.seenInRuns)} / ${formatCount(runs)}</td><td class="num">${formatCount(b.handlerRuns)}</td>
<td class="num">${escapeHtml(formatMs(b.time.p50))}</td><td class="num">${escapeHtml(formatMs(b.time.p95))}</td>
<td class="num${b.errorRate ? ' bad' : ''}">${escapeHtml(pct(b.errorRate))}</td><td class="mono">${keys(b.keysWritten, b.keysRemoved)}</td><td class="mono">${keys(b.keysRead)}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th class="num">beat</th><th>event</th><th>handler</th><th class="num">seen in runs</th><th class="num">handler runs</th><th class="num">p50</th><th class="num">p95</th><th class="num">errors</th><th>writes</th><th>reads</th></tr></thead><tbody>
${rows}</tbody></table>`;
}
