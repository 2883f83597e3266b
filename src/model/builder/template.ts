/** Templates group unknown lines so a user sees 30 shapes rather than 30,000 lines. */

const PLACEHOLDERS: readonly [RegExp, string][] = [
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?/g, '<time>'],
  [/"[^"]*"/g, '"<str>"'],
  [/'[^']*'/g, "'<str>'"],
  [/\b[a-z][\w-]*-\d{10,}-[a-z0-9]+\b/gi, '<id>'],
  [/\b(?:mc|cli)-\d{10,}(?:-[a-z0-9]+)?\b/g, '<id>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/-?\d+(?:\.\d+)?/g, '<n>'],
];

/**
 * Groups unknown lines: the line with timestamps, quoted strings, request ids and numbers replaced by
 * placeholders, cut to 200 characters.
 */
export function templateOf(text: string): string {
  let t = text.length > 400 ? text.slice(0, 400) : text;
  for (const [re, placeholder] of PLACEHOLDERS) t = t.replace(re, placeholder);
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}
