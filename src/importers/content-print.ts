/**
 * Content prints (model/file-info.ts `ContentPrint`) and prefix checks, on the content after gunzip, so
 * `app.log` and `app.log.gz` compare as the same bytes.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants, createGunzip } from 'node:zlib';
import type { ContentPrint } from '../model/index.js';
import { hasGzipMagic } from './line-reader.js';

/** The first head step, bytes; each next one is 16 times longer. Shorter files get no print. */
export const HEAD_STEP_BYTES = 512;
const HEAD_GROWTH = 16;

/** Bytes read at a time: a plain file up to this size in one read. */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
const MIN_CHUNK_BYTES = 64 * 1024;

/**
 * A file's content, chunk by chunk; a corrupt .gz ends with `corrupt: true` (what decompressed before it came). A
 * chunk is valid until the next one is asked for: the buffer is read into again.
 */
async function* contentChunks(path: string, end?: number): AsyncGenerator<Buffer, { corrupt: boolean }> {
  const chunks = (await hasGzipMagic(path)) ? gunzippedChunks(path) : plainChunks(path);
  let read = 0;
  try {
    for await (const b of chunks) {
      if (end !== undefined && read + b.length >= end) {
        yield b.subarray(0, end - read);
        return { corrupt: false };
      }
      read += b.length;
      yield b;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw error;
    return { corrupt: true };
  }
  return { corrupt: false };
}

/**
 * A plain file read into one buffer fitted to it. A read stream allocates a buffer of its whole highWaterMark for
 * every read and copies a short read into another: at 4 MiB per read, planning a folder of 256 KiB consoles was
 * mostly garbage collection (a full GC every ~25 ms).
 */
async function* plainChunks(path: string): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buffer = Buffer.allocUnsafe(Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, size)));
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

async function* gunzippedChunks(path: string): AsyncGenerator<Buffer> {
  const raw = createReadStream(path, { highWaterMark: MIN_CHUNK_BYTES });
  try {
    for await (const chunk of raw.pipe(createGunzip({ finishFlush: constants.Z_SYNC_FLUSH }))) yield chunk as Buffer;
  } finally {
    raw.destroy();
  }
}

/**
 * The hex SHA-256 of the content (marked when a .gz is corrupt, so it never equals a log that really is
 * the part that decompressed) and, for a sound file of at least HEAD_STEP_BYTES, its print.
 */
export async function contentPrint(path: string): Promise<{ digest: string; print: ContentPrint | null }> {
  const printer = new ContentPrinter();
  const chunks = contentChunks(path);
  let step = await chunks.next();
  while (!step.done) {
    printer.update(step.value);
    step = await chunks.next();
  }
  return printer.result(step.value.corrupt);
}

/**
 * A content print taken as the bytes come: a file read as it grows (ingest/growing-file.ts) gets the print of
 * what it holds so far after every round without reading it again.
 */
export class ContentPrinter {
  private readonly hash = createHash('sha256');
  private readonly heads: string[] = [];
  private next = HEAD_STEP_BYTES;
  private read = 0;

  update(bytes: Uint8Array): void {
    let chunk = bytes;
    // A head is the hash state at exactly `next` bytes: the chunk is split there.
    while (this.read + chunk.length >= this.next) {
      const take = this.next - this.read;
      this.hash.update(chunk.subarray(0, take));
      this.heads.push(headDigest(this.hash));
      this.read += take;
      chunk = chunk.subarray(take);
      this.next *= HEAD_GROWTH;
    }
    this.hash.update(chunk);
    this.read += chunk.length;
  }

  /** The print of the bytes so far; more may follow. `corrupt`: a .gz that failed there (see `contentPrint`). */
  result(corrupt = false): { digest: string; print: ContentPrint | null } {
    const hash = this.hash.copy();
    if (corrupt) {
      hash.update('\u0000beatscope:corrupt-gzip');
      return { digest: hash.digest('hex'), print: null };
    }
    const digest = hash.digest('hex');
    return {
      digest,
      print: this.heads.length === 0 ? null : { contentBytes: this.read, digest, heads: [...this.heads] },
    };
  }
}

/** Hex SHA-256 of the first `bytes` bytes of the content, or null when the content is shorter or corrupt. */
export async function prefixDigest(path: string, bytes: number): Promise<string | null> {
  const hash = createHash('sha256');
  let read = 0;
  const chunks = contentChunks(path, bytes);
  let step = await chunks.next();
  while (!step.done) {
    hash.update(step.value);
    read += step.value.length;
    step = await chunks.next();
  }
  return !step.value.corrupt && read === bytes ? hash.digest('hex') : null;
}

/**
 * Whether `shorter` may be a prefix of `longer`, from the prints alone: true means "read to confirm"
 * (`prefixDigest`), false is certain.
 */
export function mayBePrefix(shorter: ContentPrint, longer: ContentPrint): boolean {
  if (shorter.contentBytes >= longer.contentBytes) return false;
  const k = shorter.heads.length - 1;
  return k >= 0 && shorter.heads[k] === longer.heads[k];
}

function headDigest(hash: Hash): string {
  return hash.copy().digest('hex').slice(0, 16);
}
