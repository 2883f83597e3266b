/**
 * Stable finding ids and message normalisation. An id hashes what the finding is about (kind, plugin, handler,
 * normalised message, top in-app frame …), never counts, times or paths of the machine, so the same problem
 * keeps its id across ingests, new logs and machines, and `.beatscope/suppressions.json` can name it.
 */
import { createHash } from 'node:crypto';

/** `f-` + the first 16 hex digits of the SHA-256 of the parts, NUL-separated (null parts as empty strings). */
export function fingerprint(parts: readonly (string | number | null | undefined)[]): string {
  const hash = createHash('sha256');
  hash.update(parts.map((p) => (p === null || p === undefined ? '' : String(p))).join('\u0000'));
  return `f-${hash.digest('hex').slice(0, 16)}`;
}

/**
 * An error message with what varies between occurrences masked, as Sentry groups events: quoted values → `"<v>"`,
 * UUIDs and long hex → `<id>`, words mixing letters and digits (`rx-2-99`, `ix-1-3`, `a1b2`) → `<id>`, other
 * numbers → `<n>`. Paths and plain words stay: they name the failing thing.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(/"[^"\n]*"|'[^'\n]*'|`[^`\n]*`/g, (q) => `${q[0]}<v>${q[0]}`)
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b(?:0x)?[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*\b/gi, (m) => (m.length >= 8 ? '<id>' : m))
    .replace(/(?<![\w/.])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+(?![\w/])/g, '<id>')
    .replace(/(?<![\w<])\d+(?:\.\d+)?(?![\w>])/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}
