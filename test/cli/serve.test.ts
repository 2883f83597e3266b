/**
 * The built `beatscope serve` binary: refuses a non-loopback address without a token (exit 2, nothing bound),
 * serves `/api/summary` equal to `summary --json` of its store, ingests a log dropped into a watched folder, and
 * stops cleanly on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, beatscope, ROOT, SMALL_LOG } from './run-beatscope.js';

const SECOND_LOG = join(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beatscope-serve-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the binary; resolves with the process and its base URL once it printed it. */
function startServe(args: string[]): Promise<{ child: ChildProcess; base: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /^beatscope serve: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        ok({ child, base: url, output: () => out });
      }
    });
    child.on('exit', (code) => fail(new Error(`serve exited ${code}: ${err}`)));
  });
}

describe('beatscope serve', () => {
  it('refuses to bind anything but loopback without a token, and a short token', () => {
    const r = beatscope('serve', '--host', '0.0.0.0', '--db', join(dir, 'x.duckdb'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'beatscope: refusing to serve on 0.0.0.0 without a token: anyone who can reach it could read and post telemetry\n' +
        'hint: pass --token <secret> (or set BEATSCOPE_TOKEN), or keep the default --host 127.0.0.1\n',
    );
    const short = beatscope('serve', '--token', 'abc', '--db', join(dir, 'x.duckdb'));
    expect([short.code, short.err]).toEqual([2, 'beatscope: --token must be at least 8 characters\n']);
  });

  it('serves the summary of its store, ingests what lands in a watched folder, stops on SIGTERM', async () => {
    const db = join(dir, 'telemetry.duckdb');
    expect(beatscope('ingest', SMALL_LOG, '--db', db).code).toBe(0);
    const before = JSON.parse(beatscope('summary', '--json', '--db', db).out);
    const watched = join(dir, 'watched');
    mkdirSync(watched);
    const { child, base, output } = await startServe([
      '--db',
      db,
      '--port',
      '0',
      '--watch',
      watched,
      '--poll-ms',
      '100',
    ]);
    try {
      expect(await (await fetch(`${base}api/summary`)).json()).toEqual(before);
      copyFileSync(SECOND_LOG, join(watched, 'app.log'));
      let after = before;
      for (let i = 0; i < 100 && after.files === before.files; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await (await fetch(`${base}api/summary`)).json();
      }
      expect(after.files).toBe(before.files + 1);
      expect(after.sequenceRuns).toBe(before.sequenceRuns + 3);
    } finally {
      const exited = new Promise<number | null>((ok) => child.on('exit', ok));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(output()).toMatch(/beatscope serve: stopped\n$/);
  });
});
