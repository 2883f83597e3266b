/**
 * Bad input through the whole pipeline: each file gets a clear per-file diagnostic (file, line, what)
 * while the rest of the batch ingests, and nothing crashes.
 */
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IngestReport, ingest } from '../../src/ingest/ingest.js';
import { InMemoryStore } from '../../src/store/in-memory-store.js';
import { BAD_BATCH_STATUSES, writeBadBatch } from './bad-batch.js';

describe('a batch of bad files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-bad-'));
  const store = new InMemoryStore();
  let report: IngestReport;
  const outcome = (name: string) => report.outcomes.find((o) => basename(o.path) === name)!;

  beforeAll(async () => {
    writeBadBatch(dir);
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
    expect(Object.fromEntries(report.outcomes.map((o) => [basename(o.path), o.status]))).toEqual(BAD_BATCH_STATUSES);
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
    const cutAt = outcome('truncated.log.gz').info!.lines;
    expect(said('truncated.log.gz')).toEqual([
      `truncated.log.gz:${cutAt} warning the compressed data ends early at byte ${statSync(join(dir, 'truncated.log.gz')).size.toLocaleString('en-US')}, after line ${cutAt} (a truncated .gz); read up to there`,
    ]);
    expect(cutAt).toBeGreaterThan(5);
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
    expect(byFile.get('truncated.log.gz')).toEqual(byFile.get('good.log'));
    const utf16 = files.find((f) => basename(f.path) === 'utf16-nobom.log')!;
    expect([utf16.encoding, utf16.lines, utf16.linesUnknown]).toEqual(['utf-16le', 5, 0]);
  });

  it('records one session per readable capture and none for an empty file (no app started in it)', async () => {
    const files = await store.files();
    const sessions = await store.entities('session');
    const count = (name: string) =>
      sessions.filter((s) => s.fileId === files.find((f) => basename(f.path) === name)!.fileId).length;
    expect([count('good.log'), count('truncated.log'), count('empty.log')]).toEqual([1, 1, 0]);
    expect(files.find((f) => basename(f.path) === 'empty.log')!.lines).toBe(0);
  });

  it('never duplicates when the same batch is ingested again', async () => {
    const before = (await store.summary()).sequenceRuns;
    const again = await ingest([dir], { store, workers: 0 });
    expect(again.outcomes.filter((o) => o.status === 'ingested')).toEqual([]);
    expect((await store.summary()).sequenceRuns).toBe(before);
  });
});

describe('a file that changed on disk', () => {
  it('keeps its stored content while the new one cannot be read, and replaces it once it can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beatscope-changed-'));
    const file = join(dir, 'app.log');
    const store = new InMemoryStore();
    const runs = async () => (await store.entities('sequence-run')).map((r) => `${r.sequenceName} ${r.status}`);
    try {
      writeBadBatch(dir);
      renameSync(join(dir, 'good.log'), file);
      await ingest([file], { store, workers: 0 });
      expect(await runs()).toEqual(['Library Load completed']);

      renameSync(join(dir, 'binary.log'), file);
      const unreadable = await ingest([file], { store, workers: 0 });
      expect(unreadable.outcomes.map((o) => o.status)).toEqual(['failed']);
      expect(await runs()).toEqual(['Library Load completed']);

      renameSync(join(dir, 'truncated.log'), file);
      const readable = await ingest([file], { store, workers: 0 });
      expect(readable.outcomes.map((o) => o.status)).toEqual(['ingested']);
      expect(await runs()).toEqual(['Library Load incomplete']);
      expect((await store.files()).map((f) => f.path)).toEqual([file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
