/**
 * Source locations as links. The user gives a URL template (`--source-url`) with `{file}` and `{line}`
 * placeholders, e.g. `https://github.com/o/r/blob/<rev>/{file}#L{line}` or `vscode://file/home/me/app/{file}:{line}`;
 * every page that shows a handler's file:line builds its link here. Pure (no Node or DOM APIs): the timeline's
 * browser script bundles it too.
 */

/** Schemes a link may use: web hosts and the editors' own handlers. `javascript:`, `data:` etc. are refused. */
export const SOURCE_URL_SCHEMES: readonly string[] = ['http:', 'https:', 'vscode:', 'idea:', 'file:'];

/**
 * Why a template cannot be used, or null when it can: it must name `{file}` and, filled in, parse as a URL
 * with an allowed scheme.
 */
export function sourceUrlTemplateProblem(template: string): string | null {
  if (!template.includes('{file}')) return 'the source URL template has no {file} placeholder';
  const sample = fill(template, 'src/a.ts', 1);
  if (sample === null) {
    return `the source URL template must start with one of ${SOURCE_URL_SCHEMES.join(' ')} and be a valid URL`;
  }
  return null;
}

/**
 * The link for `file` at `line` (1-based; a missing line links to line 1), or null when there is no template,
 * no file, or the filled-in template is not a URL with an allowed scheme. Each path segment is URL-encoded
 * (`#`, `?`, spaces and `%` in a name cannot change the URL's meaning); `/` between segments is kept and
 * Windows `\` separators become `/`.
 */
export function sourceUrl(
  template: string | null | undefined,
  file: string | null,
  line: number | null,
): string | null {
  if (!template || !file) return null;
  return fill(template, file, line);
}

function fill(template: string, file: string, line: number | null): string | null {
  const path = file.replaceAll('\\', '/').split('/').map(encodeURIComponent).join('/');
  const lineText = line !== null && Number.isInteger(line) && line > 0 ? String(line) : '1';
  // A function replacement: `$&` and friends in a file name are not replacement patterns.
  const text = template.replaceAll('{file}', () => path).replaceAll('{line}', () => lineText);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return SOURCE_URL_SCHEMES.includes(url.protocol) ? text : null;
}
