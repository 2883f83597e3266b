/**
 * The exit-code contract of the built `beatscope` binary (README "Exit codes"): 0 ok, 1 findings,
 * 2 usage or input error, each error told in one line. `npm test` builds dist/ first.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beatscope, SMALL_LOG } from './run-beatscope.js';

const LOG = SMALL_LOG;

describe('beatscope exit codes: usage errors', () => {
  it('exits 2 on an unknown command, with one line and a pointer to --help', () => {
    const r = beatscope('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toBe("beatscope: unknown command 'frobnicate'\n(run with --help for usage)\n");
    expect(r.out).toBe('');
  });

  it('exits 2 on an unknown option', () => {
    const r = beatscope('summary', '--colour');
    expect(r.code).toBe(2);
    expect(r.err).toBe("beatscope: unknown option '--colour'\n(run with --help for usage)\n");
  });

  it('exits 2 on a missing argument', () => {
    const r = beatscope('report');
    expect(r.code).toBe(2);
    expect(r.err).toBe("beatscope: missing required argument 'name'\n(run with --help for usage)\n");
  });

  it('exits 2 on a bad option value', () => {
    const r = beatscope('report', 'heatmap', '--top', 'ten');
    expect(r.code).toBe(2);
    expect(r.err).toBe('beatscope: expected a whole number, got "ten"\n');
  });

  it('exits 2 with the usage on stderr when no command is given', () => {
    const r = beatscope();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: beatscope \[options\] \[command\]\n/);
  });

  it('accepts the global --debug before or after the command, and a usage error stays one line with it', () => {
    for (const args of [
      ['--debug', 'summary', '--db', '/nonexistent/t.duckdb'],
      ['summary', '--db', '/nonexistent/t.duckdb', '--debug'],
    ]) {
      const r = beatscope(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toBe(
        'beatscope: no telemetry store at /nonexistent/t.duckdb\nhint: run `beatscope ingest <logs>` first, or pass --db PATH\n',
      );
    }
  });

  it('exits 0 on --help and --version, and the help documents the exit codes', () => {
    const help = beatscope('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Exit codes: 0 ok, 1 findings');
    expect(help.out).toContain('70 internal error (add --debug for the stack)');
    for (const command of [
      'ingest',
      'summary',
      'sql',
      'index',
      'code',
      'lines',
      'analyze',
      'export',
      'report',
      'simulate',
      'demo',
      'replay',
    ]) {
      const r = beatscope(command, '--help');
      expect(r.code, command).toBe(0);
      expect(r.out, command).toMatch(new RegExp(`\\nExamples?:\\n {2}(npx )?beatscope ${command}[ \\n]`));
      expect(r.out, command).toContain('\nExit codes: 0 ok, 1 findings');
    }
    const version = beatscope('--version');
    expect(version).toEqual({ code: 0, out: '0.1.0\n', err: '' });
  });
});

describe('beatscope exit codes: --out paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'beatscope-out-'));
  const db = join(dir, 'store.duckdb');
  const aFile = join(dir, 'a-file.txt');
  writeFileSync(aFile, 'not a folder\n');

  it('ingests the store the exports read', () => {
    expect(beatscope('ingest', LOG, '--db', db).code).toBe(0);
  });

  it('export creates the missing folders of --out', () => {
    const out = join(dir, 'new/nested/trace.json');
    const r = beatscope('export', '--db', db, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`to ${out}\n`);
    const trace = JSON.parse(readFileSync(out, 'utf8'));
    expect(trace.traceEvents.length).toBeGreaterThan(0);
  });

  it('export under a regular file exits 2 in one line and writes nothing', () => {
    const r = beatscope('export', '--db', db, '--out', join(aFile, 'trace.json'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`beatscope: cannot write ${aFile}/trace.json: a folder on the way is a file\n`);
    expect(r.out).toBe('');
  });

  it('export refuses to write through a symbolic link', () => {
    const link = join(dir, 'link.json');
    symlinkSync(join(dir, 'elsewhere.json'), link);
    const r = beatscope('export', '--db', db, '--out', link);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `beatscope: refusing to write through the symbolic link ${link}\nhint: pass the real path to --out\n`,
    );
    expect(existsSync(join(dir, 'elsewhere.json'))).toBe(false);
  });

  it('report with an unwritable --out exits 2 in one line, no stack', () => {
    const under = beatscope('report', 'timeline', '--db', db, '--out', join(aFile, 'timeline.txt'));
    expect(under.code).toBe(2);
    expect(under.err).toBe(`beatscope: cannot write ${aFile}/timeline.txt: a folder on the way is a file\n`);
    mkdirSync(join(dir, 'a-dir'));
    const onDir = beatscope('report', 'timeline', '--db', db, '--out', join(dir, 'a-dir'));
    expect(onDir.code).toBe(2);
    expect(onDir.err).toBe(
      `beatscope: cannot write ${join(dir, 'a-dir')}: it is a directory\nhint: pass a file path to --out\n`,
    );
  });

  it('analyze into a regular file exits 2 in one line before ingesting anything', () => {
    const r = beatscope('analyze', LOG, '--db', join(dir, 'analyze.duckdb'), '--out', aFile);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `beatscope: cannot write into ${aFile}: it is a file, not a directory\nhint: pass a directory to --out\n`,
    );
    expect(existsSync(join(dir, 'analyze.duckdb'))).toBe(false);
  });
});
