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
  while (i < n && !isWordStart(message.charCodeAt(i))) i++;
  return i === 0 ? message : message.slice(i);
}

/** 1 for the characters a stripped message starts at: ASCII letters, digits and `[ { " ' ( / _`. */
const WORD_START = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (/[A-Za-z0-9[{"'(/_]/.test(String.fromCharCode(c))) WORD_START[c] = 1;

/** Whether a character code (or a byte: the set is ASCII) is one `stripIcon` stops at. */
export function isWordStart(c: number): boolean {
  return c < 128 && WORD_START[c] === 1;
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
