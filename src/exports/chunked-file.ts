/**
 * Writes a big JSON file in chunks as it is serialised, so an export of millions of runs never becomes one giant
 * string: the exports call `write` with consecutive pieces of text; they are buffered up to CHUNK characters and
 * written with back-pressure. Resolves to the bytes written (UTF-8).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Characters buffered before a write. */
const CHUNK = 1 << 20;

export async function writeChunked(
  path: string,
  body: (write: (text: string) => Promise<void>) => Promise<void>,
): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let bytes = 0;
  let buffer = '';
  const flush = async () => {
    bytes += Buffer.byteLength(buffer);
    const chunk = buffer;
    buffer = '';
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    await body(async (text) => {
      buffer += text;
      if (buffer.length >= CHUNK) await flush();
    });
    await flush();
  } finally {
    out.end();
    await once(out, 'close');
  }
  return bytes;
}
