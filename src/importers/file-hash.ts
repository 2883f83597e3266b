import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { constants, createGunzip } from 'node:zlib';
import { hasGzipMagic } from './line-reader.js';

/**
 * Hex SHA-256 of a log's text bytes — after gunzip, so `app.log` and `app.log.gz` are the same content.
 * Every byte counts (a BOM, CRLF, binary garbage), whatever the line reader makes of them.
 */
export async function contentDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  const raw = createReadStream(path, { highWaterMark: 4 * 1024 * 1024 });
  // A truncated .gz hashes what it holds (the line reader reads that much and warns), not an error.
  const bytes = (await hasGzipMagic(path)) ? raw.pipe(createGunzip({ finishFlush: constants.Z_SYNC_FLUSH })) : raw;
  try {
    for await (const chunk of bytes) hash.update(chunk as Buffer);
  } catch (error) {
    // Corrupt compressed data: what decompressed before it is the content (the line reader keeps that
    // much and warns), marked so it never equals a log that really is that prefix.
    if ((error as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw error;
    hash.update('\u0000beatscope:corrupt-gzip');
  }
  return hash.digest('hex');
}

/**
 * Content identity of a log: the first 16 hex chars of its `contentDigest`. Computed before parsing so
 * entity IDs (which start with it) are deterministic, and so content already ingested under another
 * name is recognized unparsed.
 */
export async function hashFile(path: string): Promise<string> {
  return (await contentDigest(path)).slice(0, 16);
}
