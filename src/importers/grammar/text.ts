/**
 * Small text helpers shared by the message grammar rules.
 */

/**
 * Strips the leading icon of a message: emoji (with variation selectors), the `?`/`??` that .NET
 * consoles print for emoji they cannot encode, and spaces. Stops at the first letter, digit or opening
 * bracket/quote so `[EventRouter] …` and `{…}` keep their first character.
 */
export function stripIcon(message: string): string {
  let i = 0;
  const n = message.length;
  while (i < n) {
    const c = message.charCodeAt(i);
    const isWordStart =
      (c >= 65 && c <= 90) || // A-Z
      (c >= 97 && c <= 122) || // a-z
      (c >= 48 && c <= 57) || // 0-9
      c === 91 || // [
      c === 123 || // {
      c === 34 || // "
      c === 39 || // '
      c === 40 || // (
      c === 47 || // /
      c === 95; // _
    if (isWordStart) break;
    i++;
  }
  return i === 0 ? message : message.slice(i);
}

/** First word of a stripped message, up to a space, colon, dot or parenthesis: the dispatch key of the grammar. */
export function dispatchKey(text: string): string {
  let i = 0;
  const n = Math.min(text.length, 48);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 58 || c === 46 || c === 40) break;
    i++;
  }
  return text.slice(0, i);
}
