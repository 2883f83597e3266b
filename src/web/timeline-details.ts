/**
 * The details panel and the hover tooltip. Log and code text is only ever set with `textContent`
 * (never innerHTML): handler names, events, previews and error messages come from untrusted logs.
 */
import { formatMs } from '../model/format-ms.js';
import { sourceUrl } from '../model/source-link.js';
import type { Model } from './timeline-model.js';

type Child = Node | string | null | undefined | false;

export function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

/** The page's `--source-url` template (a JSON island; null when not given), read once. */
let urlTemplate: string | null | undefined;

/** A `file:line` location: a link when the site has a source URL template, text otherwise. */
function locationElement(loc: string): HTMLElement {
  urlTemplate ??= JSON.parse(document.getElementById('timeline-source-url')?.textContent || 'null') as string | null;
  const m = /^(.*):(\d+)$/.exec(loc);
  const url = sourceUrl(urlTemplate, m ? m[1]! : loc, m ? Number(m[2]) : null);
  if (url === null) return el('div', { class: 'loc' }, loc);
  return el('div', { class: 'loc' }, el('a', { href: url, class: 'src-link' }, loc));
}

/** Durations read NaN where the log had none (typed columns). */
/** The one millisecond formatter of every output (model/format-ms.ts). */
export const ms = formatMs;

/** "1.8× p95" with a class saying whether it is over the handler's usual time. */
function versus(value: number | null, p95: number | null): HTMLElement | null {
  if (value === null || Number.isNaN(value) || p95 === null || p95 <= 0) return null;
  const ratio = value / p95;
  // Within ±10% of p95 is typical for a p95-ish run; only clearly slower runs are flagged.
  const cls = ratio > 1.1 ? 'over' : ratio < 0.9 ? 'under' : 'near';
  return el('span', { class: `vs ${cls}` }, ` ${ratio.toFixed(2)}× p95 (${ms(p95)})`);
}

function field(label: string, ...value: Child[]): HTMLElement {
  return el('div', { class: 'kv' }, el('span', { class: 'k' }, label), el('span', { class: 'v' }, ...value));
}

function keyList(sign: string, cls: string, keys: readonly number[], s: readonly string[]): HTMLElement | null {
  if (keys.length === 0) return null;
  return el('div', { class: `baton ${cls}` }, `${sign} `, keys.map((k) => s[k] ?? '').join(', '));
}

export function beatDetails(m: Model, b: number): HTMLElement {
  const d = m.data;
  const s = m.s;
  const set = d.handlerSets[d.beats.handlerSet[b]!] ?? [];
  const names = set.map((h) => s[d.handlers.name[h]!] ?? '').join(', ');
  const run = d.beats.run[b]!;
  const title = el('h3', {}, names || (s[d.beats.event[b]!] ?? 'beat'));
  const first = set[0];
  const beatP95 = first === undefined ? null : d.handlers.beatP95Ms[first]!;
  const out = el(
    'div',
    { class: 'details-body', 'data-beat': m.beatId(b) },
    title,
    field('event', s[d.beats.event[b]!] ?? '—'),
    field('title', s[d.beats.title[b]!] ?? '—'),
    field('plugin', s[d.beats.plugin[b]!] ?? '—'),
    field('sequence', run >= 0 ? (s[d.runs.name[run]!] ?? '') : '—'),
    field('beat', `${d.beats.beat[b]} · log line ${d.beats.line[b]}`),
    field(
      'beat time',
      `${ms(d.beats.durationMs[b])} (${s[d.beats.durationSource[b]!] ?? 'none'})`,
      versus(d.beats.durationMs[b]!, beatP95),
    ),
    run >= 0 ? field('request', s[d.runs.requestId[run]!] ?? '—') : null,
    field('id', m.beatId(b)),
    logLines(m.beatId(b)),
  );
  const hruns = m.handlerRunsOfBeat.get(b) ?? new Int32Array(0);
  if (set.length > 0) out.append(el('h4', {}, 'Handlers'));
  for (const h of set) {
    const runsOfH = hruns.filter((r) => d.handlerRuns.handler[r] === h);
    const loc = s[d.handlers.location[h]!];
    const block = el(
      'div',
      { class: 'handler' },
      el(
        'div',
        { class: 'hname' },
        s[d.handlers.name[h]!] ?? '',
        el('span', { class: 'muted' }, ` · ${s[d.handlers.plugin[h]!] ?? '?'}`),
      ),
      loc ? locationElement(loc) : el('div', { class: 'loc muted' }, 'source location unknown (no code index)'),
    );
    for (const r of runsOfH) {
      const async = (d.handlerRuns.flags[r]! & 2) !== 0;
      block.append(
        el(
          'div',
          {},
          field(
            'handler time',
            `${ms(d.handlerRuns.durationMs[r])} (${s[d.handlerRuns.durationSource[r]!] ?? 'none'})`,
            versus(d.handlerRuns.durationMs[r]!, d.handlers.p95Ms[h]!),
          ),
          async
            ? el(
                'div',
                { class: 'note' },
                'Settled after its beat completed (async, not awaited by the beat): drawn from beat start to settle time.',
              )
            : null,
          (d.handlerRuns.flags[r]! & 1) !== 0 ? el('div', { class: 'err' }, 'failed') : null,
        ),
      );
    }
    block.append(
      field('p50 / p95', `${ms(d.handlers.p50Ms[h])} / ${ms(d.handlers.p95Ms[h])} over ${d.handlers.count[h]} runs`),
    );
    out.append(block);
  }
  const batons = m.batonsOfBeat.get(b) ?? [];
  if (batons.length > 0) out.append(el('h4', {}, 'DataBaton changes'));
  for (const i of batons) {
    const bt = d.batons;
    const who = s[bt.handler[i]!];
    out.append(
      el(
        'div',
        { class: 'baton-block' },
        who ? el('div', { class: 'muted' }, `by ${who}`) : el('div', { class: 'muted' }, 'beat-level'),
        keyList('+', 'added', bt.added[i]!, s),
        keyList('~', 'updated', bt.updated[i]!, s),
        keyList('−', 'removed', bt.removed[i]!, s),
        bt.preview[i]! >= 0 ? el('pre', {}, s[bt.preview[i]!] ?? '') : null,
      ),
    );
  }
  const errors = m.errorsOfBeat.get(b) ?? [];
  if (errors.length > 0) out.append(el('h4', {}, 'Errors'));
  for (const i of errors) {
    const e = d.errors;
    out.append(
      el(
        'div',
        { class: 'error-block' },
        el('div', { class: 'err' }, `${s[e.plugin[i]!] ?? ''}.${s[e.handler[i]!] ?? ''}: ${s[e.message[i]!] ?? ''}`),
        e.frame[i]! >= 0 ? el('div', { class: 'loc' }, `at ${s[e.frame[i]!]}`) : null,
      ),
    );
  }
  out.append(el('a', { href: `#beat=${encodeURIComponent(m.beatId(b))}`, class: 'permalink' }, 'link to this beat'));
  return out;
}

export function runDetails(m: Model, r: number): HTMLElement {
  const d = m.data.runs;
  const s = m.s;
  return el(
    'div',
    { class: 'details-body' },
    el('h3', {}, s[d.name[r]!] ?? 'run'),
    field('status', s[d.status[r]!] ?? ''),
    field('plugin', s[d.plugin[r]!] ?? '—'),
    field('duration', `${ms(d.durationMs[r])} (${s[d.durationSource[r]!] ?? 'none'})`),
    field('request', s[d.requestId[r]!] ?? '—'),
    field('id', s[d.id[r]!] ?? ''),
    logLines(s[d.id[r]!] ?? ''),
  );
}

/**
 * What `#beat=<id>` shows when the beat is not drawn here (a link from findings or the heatmap to a beat past a
 * large store's timeline window): where it is, and the commands that show it. `windowNote`: the page's note on
 * what part of the store it covers, if it covers a part.
 */
export function beatNotDrawn(id: string, windowNote: string | null): HTMLElement {
  return el(
    'div',
    { class: 'not-drawn' },
    el('h3', {}, 'Beat not in this timeline'),
    el(
      'p',
      {},
      `Beat ${id} is not drawn here${windowNote === null ? ' (this timeline does not hold it)' : `: ${windowNote}`}`,
    ),
    logLines(id),
    field('its timeline', el('code', {}, `beatscope report timeline --at ${id} --format html --out <dir>`)),
  );
}

/** The command that prints an entity's log lines from the log file (docs/ingest.md, "Reading a line back"). */
function logLines(id: string): HTMLElement {
  return field('log lines', el('code', {}, `beatscope lines ${id}`));
}

/** One line of tooltip text for a row item. */
export function tooltipText(m: Model, kind: 'run' | 'beat' | 'handler', k: number): string {
  const d = m.data;
  const s = m.s;
  if (kind === 'run') return `${s[d.runs.name[k]!]} · ${s[d.runs.status[k]!]} · ${ms(d.runs.durationMs[k])}`;
  if (kind === 'beat') {
    const set = d.handlerSets[d.beats.handlerSet[k]!] ?? [];
    const names = set.map((h) => s[d.handlers.name[h]!]).join(', ');
    return `${names || '?'} · ${s[d.beats.event[k]!] ?? ''} · ${ms(d.beats.durationMs[k])}`;
  }
  const h = d.handlerRuns;
  const async = (h.flags[k]! & 2) !== 0 ? ' · async (settled after beat)' : '';
  return `${s[d.handlers.name[h.handler[k]!]!]} · handler time ${ms(h.durationMs[k])}${async}`;
}
