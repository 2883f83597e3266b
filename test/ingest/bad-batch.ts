/**
 * A directory of bad input next to good files, as one batch: what every ingest path (this thread,
 * parser threads) must take file by file without crashing. `gone.log` is meant to be deleted after the
 * ingest planned it (see `BAD_BATCH_STATUSES`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const GOOD = [
  'EventBus.ts:56 2025-11-10T21:56:17.114Z 🎼 SequenceRegistry: Registered sequence "Library Load" (id: library-load-symphony)',
  'EventBus.ts:56 2025-11-10T21:56:20.100Z 🎼 ExecutionQueue: Now executing "Library Load"',
  'EventBus.ts:56 2025-11-10T21:56:20.110Z 🎵 Beat 1 Started: Load Components (library:components:load)',
  'EventBus.ts:56 2025-11-10T21:56:20.140Z ✅ BeatExecutor: Beat 1 (library:components:load) completed in 30ms',
  'EventBus.ts:56 2025-11-10T21:56:20.145Z ✅ SequenceExecutor: Sequence "Library Load" completed in 45ms',
];

function utf16le(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

/** Writes the batch into `dir`. */
export function writeBadBatch(dir: string): void {
  writeFileSync(join(dir, 'good.log'), `${GOOD.join('\n')}\n`);
  // The same content again, gzip'ed and copied: each is recognized as a duplicate, not ingested twice.
  writeFileSync(join(dir, 'good.log.gz'), gzipSync(`${GOOD.join('\n')}\n`));
  writeFileSync(join(dir, 'zz-copy.log'), `${GOOD.join('\n')}\n`);
  writeFileSync(join(dir, 'empty.log'), '');
  const garbage = Buffer.alloc(4096);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
  writeFileSync(join(dir, 'binary.log'), garbage);
  writeFileSync(join(dir, 'truncated.log'), `${GOOD.slice(0, 4).join('\n')}\n${GOOD[4]!.slice(0, 60)}`);
  writeFileSync(join(dir, 'huge-line.log'), `${GOOD[0]}\n${'x'.repeat(10 * 1024 * 1024)}\n${GOOD[1]}\n`);
  writeFileSync(join(dir, 'utf16-bom.log'), utf16le(`${GOOD.join('\r\n')}\r\n`, true));
  writeFileSync(join(dir, 'utf16-nobom.log'), utf16le(`${GOOD.join('\n')}\n`, false));
  writeFileSync(join(dir, 'crlf.log'), `${GOOD.join('\r\n')}\r\n`);
  const bad = Buffer.concat([
    Buffer.from(`${GOOD[0]}\n${GOOD[1]}\n`),
    Buffer.from([0xc3, 0x28, 0xff, 0x0a]),
    Buffer.from(`${GOOD[2]}\n`),
  ]);
  writeFileSync(join(dir, 'invalid-utf8.log'), bad);
  writeFileSync(join(dir, 'gone.log'), `${GOOD.slice(0, 3).join('\n')}\n`);
  // Compressed, then cut in the middle (a copy of a log still being gzip'ed): the run before the cut is kept.
  // Its first line is its own: starting with good.log's bytes, it would be a later save of it (superseding it).
  const filler = Array.from({ length: 2000 }, (_, i) => `EventBus.ts:56 2025-11-10T21:56:21.000Z 🧪 app output ${i}`);
  const opening = 'EventBus.ts:56 2025-11-10T21:56:16.000Z 🧪 capture started';
  const gz = gzipSync(`${[opening, ...GOOD, ...filler].join('\n')}\n`);
  writeFileSync(join(dir, 'truncated.log.gz'), gz.subarray(0, gz.length >> 1));
}

/** Each file's outcome once `gone.log` was deleted after planning. */
export const BAD_BATCH_STATUSES = {
  'binary.log': 'failed',
  'crlf.log': 'ingested',
  'empty.log': 'ingested',
  'gone.log': 'failed',
  'good.log': 'ingested',
  'good.log.gz': 'duplicate',
  'zz-copy.log': 'duplicate',
  'huge-line.log': 'ingested',
  'invalid-utf8.log': 'ingested',
  'truncated.log': 'ingested',
  'truncated.log.gz': 'ingested',
  'utf16-bom.log': 'ingested',
  'utf16-nobom.log': 'ingested',
} as const;
