import { contentPrint } from './content-print.js';

/**
 * Hex SHA-256 of a log's text bytes — after gunzip, so `app.log` and `app.log.gz` are the same content.
 * Every byte counts (a BOM, CRLF, binary garbage), whatever the line reader makes of them. A truncated
 * .gz hashes what it holds (the line reader reads that much and warns); a corrupt one hashes what
 * decompressed before the damage, marked so it never equals a log that really is that prefix.
 */
export async function contentDigest(path: string): Promise<string> {
  return (await contentPrint(path)).digest;
}

/**
 * Content identity of a log: the first 16 hex chars of its `contentDigest`. Computed before parsing so
 * entity IDs (which start with it) are deterministic, and so content already ingested under another
 * name is recognized unparsed.
 */
export async function hashFile(path: string): Promise<string> {
  return (await contentDigest(path)).slice(0, 16);
}
