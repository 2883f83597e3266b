/**
 * `beatscope ingest` with inputs that are not plain readable files, run as the built binary: standard
 * input is read under a name, and what cannot be read (a FIFO, a dangling symlink, a file or folder
 * without permission) is listed while the rest is ingested, with exit code 2.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runBeatscope } from './run-beatscope.js';

const FIXTURE = join(ROOT, 'test/fixtures/chrome-console/e2-per-source-location.log');

describe('beatscope ingest: inputs that are not plain files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-inputs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads standard input under --source-name, and the same stream again is unchanged', () => {
    const db = join(dir, 'stdin.duckdb');
    const log = readFileSync(FIXTURE);
    const first = runBeatscope(['ingest', '-', '--db', db, '--source-name', 'device-1', '--json'], log);
    expect(first.code).toBe(0);
    const outcome = JSON.parse(first.out).outcomes[0];
    expect(outcome).toMatchObject({ path: 'device-1', status: 'ingested', format: 'chrome-console', lines: 9 });
    const again = runBeatscope(['ingest', '/dev/stdin', '--db', db, '--source-name', 'device-1', '--json'], log);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).outcomes[0]).toMatchObject({ path: 'device-1', status: 'unchanged' });
  });

  it('lists a FIFO and a dangling symlink as unreadable, ingests the rest, exits 2', () => {
    const db = join(dir, 'bad.duckdb');
    copyFileSync(FIXTURE, join(dir, 'good.log'));
    const fifo = join(dir, 'pipe.log');
    spawnSync('mkfifo', [fifo]);
    const dangling = join(dir, 'dangling.log');
    symlinkSync(join(dir, 'nowhere.log'), dangling);
    const r = runBeatscope(['ingest', join(dir, 'good.log'), fifo, dangling, '--db', db, '--json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.out);
    expect(out.outcomes.map((o: { status: string }) => o.status)).toEqual(['ingested']);
    expect(out.unreadable).toEqual([
      { path: fifo, reason: 'a FIFO, not a regular file (pipe it to `beatscope ingest -`)' },
      { path: dangling, reason: 'dangling symbolic link (its target does not exist)' },
    ]);
    const text = runBeatscope(['ingest', join(dir, 'good.log'), fifo, '--db', db]);
    expect(text.code).toBe(2);
    expect(text.out.replaceAll(dir, '<tmp>')).toContain(
      'unreadable <tmp>/pipe.log: a FIFO, not a regular file (pipe it to `beatscope ingest -`)',
    );
  });

  it('never opens a FIFO that has a writer waiting: the batch goes on, the writer keeps its data', async () => {
    const db = join(dir, 'fed.duckdb');
    const fifo = join(dir, 'fed.log');
    spawnSync('mkfifo', [fifo]);
    // The writer blocks in open() until a reader comes; if beatscope read the FIFO it would get the log.
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', FIXTURE, fifo], { stdio: 'ignore' });
    try {
      const r = runBeatscope(['ingest', fifo, join(dir, 'good.log'), '--db', db, '--json'], undefined, 30_000);
      expect(r.code).toBe(2);
      const out = JSON.parse(r.out);
      expect(out.outcomes.map((o: { path: string; status: string }) => [o.path, o.status])).toEqual([
        [join(dir, 'good.log'), 'ingested'],
      ]);
      expect(out.unreadable).toEqual([
        { path: fifo, reason: 'a FIFO, not a regular file (pipe it to `beatscope ingest -`)' },
      ]);
      // Everything the writer had is still in the pipe.
      expect(await readFile(fifo)).toEqual(readFileSync(FIXTURE));
    } finally {
      writer.kill();
    }
  }, 60_000);

  // Root reads whatever the permissions say: only a normal user can see EACCES.
  it.skipIf(process.getuid?.() === 0)('lists a folder it may not read, exits 2 after the rest', () => {
    const db = join(dir, 'perm.duckdb');
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    copyFileSync(FIXTURE, join(locked, 'a.log'));
    chmodSync(locked, 0);
    try {
      const r = runBeatscope(['ingest', locked, join(dir, 'good.log'), '--db', db, '--json']);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out).unreadable).toEqual([{ path: locked, reason: expect.stringMatching(/^EACCES/) }]);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});
