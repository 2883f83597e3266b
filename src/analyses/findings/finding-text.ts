/** Small phrase builders shared by the findings' titles and explanations (plain text; reporters escape it). */

/** `1 run`, `28,664 executions`: thousands grouped, as every report's text counts. */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** `in 7 of 23 executions (30.4 %)`. */
export function describeRate(count: number, of: number, noun: string): string {
  const share = of > 0 ? ` (${((count / of) * 100).toFixed(1)} %)` : '';
  return `in ${count.toLocaleString('en-US')} of ${plural(of, noun)}${share}`;
}

/** Backquoted like a code span in prose (the Markdown and HTML reporters escape the whole text). */
export function quoteCode(text: string): string {
  return `\`${text}\``;
}

/** `file:line`, `file`, or '' when unknown. */
export function sourceText(file: string | null, line: number | null): string {
  if (!file) return '';
  return line === null ? file : `${file}:${line}`;
}

/** Milliseconds for prose: integers as such, else one decimal. */
export function msText(ms: number): string {
  return `${Number.isInteger(ms) ? ms : ms.toFixed(1)} ms`;
}
