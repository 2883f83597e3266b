import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/**
 * Content identity of a log: the first 16 hex chars of the SHA-256 of its text bytes — after gunzip, so
 * `app.log` and `app.log.gz` are the same file. Computed before parsing so entity IDs (which start with
 * it) are deterministic, and so content already ingested under another name is recognized unparsed.
 */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const raw = createReadStream(path, { highWaterMark: 4 * 1024 * 1024 });
  const bytes = (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
  for await (const chunk of bytes) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
