/**
 * Bad input through the whole pipeline: each file gets a clear per-file diagnostic (file, line, what)
 * while the rest of the batch ingests, and nothing crashes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IngestReport, ingest } from '../../src/ingest/ingest.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';

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

describe('a batch of bad files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-bad-'));
  const store = new InMemoryStore();
  let report: IngestReport;
  const outcome = (name: string) => report.outcomes.find((o) => basename(o.path) === name)!;

  beforeAll(async () => {
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
    report = await ingest([dir], {
      store,
      workers: 0,
      // The file disappears after it was planned, before it is read.
      onEvent: (e) => {
        if (e.type === 'plan') rmSync(join(dir, 'gone.log'));
      },
    });
  });

  it('ingests the readable files and fails only the unreadable ones', () => {
    expect(Object.fromEntries(report.outcomes.map((o) => [basename(o.path), o.status]))).toEqual({
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
      'utf16-bom.log': 'ingested',
      'utf16-nobom.log': 'ingested',
    });
  });

  it('says what is wrong, with file and line', () => {
    const said = (name: string) =>
      outcome(name).diagnostics.map((d) => `${basename(d.file)}:${d.line} ${d.severity} ${d.message}`);
    expect(said('good.log')).toEqual([]);
    expect(said('empty.log')).toEqual(['empty.log:0 info empty file']);
    expect(said('binary.log')[0]).toMatch(/^binary\.log:1 error binary content at line 1/);
    expect(said('huge-line.log')).toEqual([
      'huge-line.log:2 warning line 2 is 10,485,760 characters; kept the first 65,536',
    ]);
    expect(said('invalid-utf8.log')[0]).toMatch(/^invalid-utf8\.log:3 warning .*invalid UTF-8/i);
    expect(said('gone.log')[0]).toMatch(/^gone\.log:0 error .*(ENOENT|no such file)/i);
  });

  it('reads UTF-16 with and without BOM, CRLF and a truncated last line into the same runs', async () => {
    const runs = await store.entities('sequence-run');
    const byFile = new Map<string, string[]>();
    const files = await store.files();
    for (const r of runs) {
      const f = files.find((x) => r.span.fileId === x.fileId)!;
      byFile.set(basename(f.path), [
        ...(byFile.get(basename(f.path)) ?? []),
        `${r.sequenceName} ${r.status} ${r.durationMs}`,
      ]);
    }
    expect(byFile.get('good.log')).toEqual(['Library Load completed 45']);
    for (const name of ['crlf.log', 'utf16-bom.log', 'utf16-nobom.log'])
      expect(byFile.get(name)).toEqual(byFile.get('good.log'));
    // Cut inside its last line, the run never completes: kept as incomplete, not dropped.
    expect(byFile.get('truncated.log')).toEqual(['Library Load incomplete null']);
    const utf16 = files.find((f) => basename(f.path) === 'utf16-nobom.log')!;
    expect([utf16.encoding, utf16.lines, utf16.linesUnknown]).toEqual(['utf-16le', 5, 0]);
  });

  it('never duplicates when the same batch is ingested again', async () => {
    const before = (await store.summary()).sequenceRuns;
    const again = await ingest([dir], { store, workers: 0 });
    expect(again.outcomes.filter((o) => o.status === 'ingested')).toEqual([]);
    expect((await store.summary()).sequenceRuns).toBe(before);
  });
});
