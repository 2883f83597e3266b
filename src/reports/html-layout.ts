/**
 * The one layout of the static HTML report: page shell, navigation, shared CSS, and the two escaping helpers
 * every page uses (`escapeHtml` for text and attributes, `jsonForScript` for data islands). Pages are
 * self-contained: no network, no CDN, everything inline, so they open from file://.
 */

import { formatMs } from '../model/format-ms.js';
import { sourceUrl } from '../model/source-link.js';

/** The one millisecond formatter (model/format-ms.ts), re-exported for the pages. */
export { formatMs };

/** `index` or a report's name (its definition's `name`); the page is `<id>.html`. */
export type PageId = string;

export interface NavEntry {
  readonly id: PageId;
  readonly title: string;
}

export interface PageContext {
  readonly sourceLabel: string;
  readonly generatedAt: string;
  /** Navigation bar, in order: the overview, then one entry per registered report (html-site.ts builds it). */
  readonly nav: readonly NavEntry[];
  /** Pages that exist in this site (a report not computed gets no page and a greyed nav entry). */
  readonly pages: ReadonlySet<PageId>;
  /** `--source-url` template: file:line becomes a link (source-link.ts); plain text when absent. */
  readonly sourceUrl?: string;
  /**
   * `beatscope serve`'s script, run last on every page it serves (already safe inside a <script> element); the
   * page's Content-Security-Policy then also lets it connect to its own origin (`/api/events`). Absent in the
   * static site, whose pages connect nowhere.
   */
  readonly liveScript?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. Use for every string that came from logs or code. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * A source location as HTML: escaped, with a line-break opportunity after each `/` so a long path wraps
 * between folders rather than mid-name; a link when the site was given a `--source-url` template.
 */
export function sourceHtml(file: string | null, line: number | null, urlTemplate?: string): string {
  if (!file) return '';
  const text = `${escapeHtml(file).replaceAll('/', '/<wbr>')}${line === null ? '' : `:${escapeHtml(line)}`}`;
  const url = sourceUrl(urlTemplate, file, line);
  return url === null ? text : `<a class="src-link" href="${escapeHtml(url)}">${text}</a>`;
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` become \u escapes (no `</script>` or
 * `<!--` can close or confuse the element) and U+2028/U+2029 are escaped for pre-ES2019 parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function pageHref(id: PageId): string {
  return `${id}.html`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export interface PageOptions {
  readonly id: PageId;
  readonly title: string;
  /** Trusted HTML built by the page module (all log/code text already escaped). */
  readonly body: string;
  /** Extra CSS for this page. */
  readonly css?: string;
  /** Inline scripts (already made safe for a <script> element). */
  readonly scripts?: readonly string[];
  /** Full-height layout with no page scroll (the timeline). */
  readonly fullHeight?: boolean;
}

export function renderPage(ctx: PageContext, page: PageOptions): string {
  const nav = ctx.nav
    .map(({ id, title: label }) => {
      if (!ctx.pages.has(id)) return `<span class="nav-off" title="not computed for this report">${label}</span>`;
      const current = id === page.id ? ' aria-current="page"' : '';
      return `<a href="${pageHref(id)}"${current}>${label}</a>`;
    })
    .join('');
  const scripts = [...(page.scripts ?? []), ...(ctx.liveScript === undefined ? [] : [ctx.liveScript])]
    .map((s) => `<script>${s}</script>`)
    .join('\n');
  const connect = ctx.liveScript === undefined ? '' : " connect-src 'self';";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none';${connect} img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(page.title)} · beatscope</title>
<style>${BASE_CSS}${page.css ?? ''}</style>
</head>
<body class="${page.fullHeight ? 'full' : ''}">
<header class="top">
  <span class="brand">beatscope</span>
  <nav>${nav}</nav>
  <span class="source" title="${escapeHtml(ctx.sourceLabel)}">${escapeHtml(ctx.sourceLabel)} · generated ${escapeHtml(ctx.generatedAt)}</span>
</header>
<main>
${page.body}
</main>
${scripts}
</body>
</html>
`;
}

const BASE_CSS = `
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f4f6f9}
body.full{height:100vh;display:flex;flex-direction:column;overflow:hidden}
body.full main{flex:1;min-height:0;display:flex;flex-direction:column;padding:8px 12px;max-width:none}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:4px 18px;padding:4px 16px;min-height:44px;background:#1f2933;color:#e4e7eb;flex:none}
.brand{font-weight:700;letter-spacing:.02em;color:#fff}
nav{display:flex;flex-wrap:wrap;gap:4px;min-width:0}
nav a,nav .nav-off{padding:6px 10px;border-radius:4px;color:#cbd2d9;text-decoration:none;font-size:13px;white-space:nowrap}
nav a:hover{background:#323f4b;color:#fff}
nav a[aria-current=page]{background:#3e4c59;color:#fff}
nav .nav-off{color:#616e7c;cursor:default}
.source{margin-left:auto;font-size:12px;color:#9aa5b1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:40vw}
main{padding:20px 24px 40px;max-width:1500px;margin:0 auto}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:28px 0 8px}
h3{font-size:14px;margin:16px 0 6px}
p.lead{margin:0 0 16px;color:#52606d}
.muted{color:#7b8794}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:12px 14px}
.card .num{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
.card .label{font-size:12px;color:#616e7c;text-transform:uppercase;letter-spacing:.04em}
.card.bad .num{color:#c62828}
.card.warn .num{color:#8a5a00}
.card.text .num{font-size:16px;overflow-wrap:anywhere;line-height:1.3;padding:4px 0}
.panel>h2:first-child{margin-top:0}
.panel{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:14px 16px;margin:12px 0;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #edf0f3;vertical-align:top}
th{font-weight:600;color:#52606d;background:#f7f8fa;position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:hover td{background:#fafbfc}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
a{color:#1d5fbf}
.pill{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11px;background:#e4e7eb;color:#323f4b;white-space:nowrap}
.pill.error{background:#fde0e0;color:#a61b1b}.pill.warning{background:#fff1d6;color:#8a5a00}.pill.info{background:#e0ecfd;color:#1d4f91}
.legend{display:flex;align-items:center;gap:8px;font-size:12px;color:#52606d;margin:6px 0}
.legend .swatch{display:inline-block;width:14px;height:10px;border-radius:2px;margin-left:6px}
.note{font-size:12px;color:#52606d;background:#f7f8fa;border-left:3px solid #9aa5b1;padding:6px 10px;margin:8px 0}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}
@media (max-width:1100px){.grid2{grid-template-columns:1fr}}
details>summary{cursor:pointer}
.chart{margin:12px 0 0}.chart figcaption{font-weight:600;font-size:13px;margin-bottom:4px}
.chart svg{max-width:100%;height:auto}
/* Phones (390 CSS px and up): the header stacks (nav entries wrap, the source line gets its own row), the
   page keeps its margins small and nothing is wider than the screen; wide tables scroll inside their panel. */
@media (max-width:700px){
header.top{padding:6px 10px;gap:4px 10px}
nav a,nav .nav-off{padding:5px 8px}
.source{margin-left:0;flex-basis:100%;max-width:100%}
main{padding:12px 10px 32px}
.cards{grid-template-columns:repeat(auto-fill,minmax(140px,1fr))}
.panel{padding:10px}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
}
`;
