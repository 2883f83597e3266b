import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Content identity of a file as stored on disk: the first 16 hex chars of the SHA-256 of its bytes.
 * Computed before parsing so entity IDs (which start with it) are deterministic, and so a file already
 * ingested under another name is recognized without parsing it.
 */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}
