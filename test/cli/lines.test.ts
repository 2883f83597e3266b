/**
 * `beatscope lines`: the built binary shows the lines a report points at, from the log file, and keeps the
 * exit-code contract (2, one line on stderr, when an asked line has no text left or the reference is wrong).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { visible } from '../../src/cli/commands/lines.js';
import { beatscope, SMALL_LOG } from './run-beatscope.js';

const dir = mkdtempSync(join(tmpdir(), 'beatscope-lines-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LOG = join(dir, 'capture.log');
const DB = join(dir, 's.duckdb');
copyFileSync(SMALL_LOG, LOG);
const TEXT = readFileSync(SMALL_LOG, 'utf8').split('\n');

describe('beatscope lines', () => {
  it('prints the asked line marked, with context, and its JSON with schema and version', () => {
    expect(beatscope('ingest', LOG, '--db', DB).code).toBe(0);
    const r = beatscope('lines', 'capture.log:3', '-C', '1', '--db', DB);
    expect(r.code).toBe(0);
    const rows = r.out.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^.*capture\.log \([0-9a-f]{16}, read from the file\)$/);
    expect(rows.slice(1)).toEqual([`  2  ${TEXT[1]}`, `> 3  ${TEXT[2]}`, `  4  ${TEXT[3]}`]);
    const json = JSON.parse(beatscope('lines', 'capture.log:3-4', '--db', DB, '--json').out);
    expect(json.schema).toBe('beatscope/lines');
    expect(json.version).toBe(1);
    expect(json.fileState).toBe('unchanged');
    expect(json.lines.map((l: { text: string }) => l.text)).toEqual(TEXT.slice(2, 4));
  });

  it('exits 2 with one line when the reference is wrong or the file is gone', () => {
    expect(beatscope('ingest', LOG, '--db', DB).code).toBe(0);
    const bad = beatscope('lines', 'capture.log', '--db', DB);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'beatscope: "capture.log" is not <file>:<line>, <file>:<first>-<last>, a stored entity\'s id or a request id\n',
    );
    rmSync(LOG);
    const gone = beatscope('lines', 'capture.log:3', '--db', DB);
    expect(gone.code).toBe(2);
    expect(gone.out).toContain('> 3  (a recognized line: its text is not stored)');
    expect(gone.err).toBe(
      `beatscope: ${LOG} is not there any more, and the store keeps the text of unknown lines, warnings and errors only\n`,
    );
  });
});

describe('visible', () => {
  it('shows control characters as cat -v does, so a log line cannot drive the terminal', () => {
    expect(visible('\u001b[31mred\u001b[0m\tok\u0007\u007f\u009b2J ✅')).toBe('^[[31mred^[[0m\tok^G^?\\u009b2J ✅');
  });
});
