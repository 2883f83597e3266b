/**
 * `report timeline --log <file>` through the built binary on three real consoles: the timeline of one ingested log
 * file (named by file name, path or file id), said in every format; the findings page, whose evidence lies in
 * another file, tells how to open it; a file that is not stored, and --log on another report, exit 2.
 * `npm test` builds dist/ first.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { beatscope, ROOT } from './run-beatscope.js';

const ISO = resolve(ROOT, 'test/fixtures/chrome-console/iso-beat-headers-filtered.log');
const SAMPLE = resolve(ROOT, 'test/fixtures/corpus/logs/chrome-saved-empty-location.sample-telemetry.log');
const TRANSCRIPT = resolve(ROOT, 'test/fixtures/corpus/logs/chrome-per-source-location.devtools-transcript.log');
const dir = mkdtempSync(join(tmpdir(), 'beatscope-timeline-log-'));
const db = join(dir, 'store.duckdb');

interface Window {
  beatRuns: number;
  storeBeatRuns: number;
  logFile?: string;
  wholeFile?: boolean;
  aroundLine?: number;
}
const timelineJson = (...args: string[]) => {
  const r = beatscope('report', 'timeline', '--db', db, '--format', 'json', ...args);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as { window?: Window; strings: string[]; sessions: { id: number[] } };
};
/** The rows of a query on the store, through `beatscope sql --json`. */
const sql = (query: string) =>
  (JSON.parse(beatscope('sql', '--db', db, '--json', query).out) as { rows: Record<string, unknown>[] }).rows;

beforeAll(() => {
  expect(beatscope('ingest', ISO, SAMPLE, TRANSCRIPT, '--db', db).code).toBe(0);
}, 60_000);

describe('report timeline --log', () => {
  it('lays out one log file, named by file name, path or file id', () => {
    const whole = timelineJson();
    expect(whole.window).toBeUndefined();
    const iso = timelineJson('--log', 'iso-beat-headers-filtered.log');
    const beatRuns = (where: string) =>
      sql(`select count(*)::int n from beat_runs b join files f using (file_id) ${where}`)[0]!['n'] as number;
    const isoBeats = beatRuns(`where f.path = '${ISO}'`);
    const allBeats = beatRuns('');
    expect(isoBeats).toBeGreaterThan(0);
    expect(isoBeats).toBeLessThan(allBeats);
    expect(iso.window).toEqual({ beatRuns: isoBeats, storeBeatRuns: allBeats, logFile: ISO, wholeFile: true });
    // Its sessions are that file's only (a session id starts with its file's id).
    const fileId = sql(`select file_id from files where path = '${ISO}'`)[0]!['file_id'] as string;
    expect(iso.sessions.id.length).toBeGreaterThan(0);
    for (const s of iso.sessions.id) expect(iso.strings[s]).toMatch(new RegExp(`^${fileId}:`));
    expect(iso.sessions.id.length).toBeLessThan(whole.sessions.id.length);
    // The same file by path and by a prefix of its id.
    expect(timelineJson('--log', ISO).window).toEqual(iso.window);
    expect(timelineJson('--log', fileId.slice(0, 8)).window).toEqual(iso.window);

    const note = `this timeline covers log file ${ISO}: its ${isoBeats} beat runs, of the store's ${allBeats}`;
    expect(beatscope('report', 'timeline', '--db', db, '--log', ISO).out).toContain(note);
    expect(beatscope('report', 'timeline', '--db', db, '--log', ISO, '--format', 'md').out).toContain(note);
  });

  it('writes the site with that timeline, and findings elsewhere say how to see theirs', () => {
    const out = join(dir, 'site');
    const r = beatscope('report', 'timeline', '--db', db, '--log', SAMPLE, '--format', 'html', '--out', out);
    expect(r.code, r.err).toBe(0);
    const timeline = readFileSync(join(out, 'timeline.html'), 'utf8');
    expect(timeline).toContain(`this timeline covers log file ${SAMPLE}`);
    // The one finding (validateCss throwing) is in the ISO console: no link into this timeline, but the command.
    const findings = readFileSync(join(out, 'findings.html'), 'utf8');
    expect(findings).toContain('validateCss');
    const line = sql(
      `select e.line from handler_errors e join files f using (file_id) where f.path = '${ISO}' and e.handler = 'validateCss' order by e.line limit 1`,
    )[0]!['line'] as number;
    expect(findings).toContain(
      `not on this timeline's window: <code>beatscope report timeline --at "${ISO}:${line}" --format html</code>`,
    );
    expect(findings).not.toContain('timeline.html#beat=');
  });

  it('--at lays out the log file of a line or an entity, around it', () => {
    const beat = sql(
      `select b.id, b.start_line from beat_runs b join files f using (file_id) where f.path = '${ISO}' order by b.start_line limit 1 offset 20`,
    )[0]!;
    const iso = timelineJson('--log', ISO).window!;
    const around = { ...iso, aroundLine: beat['start_line'] };
    expect(timelineJson('--at', String(beat['id'])).window).toEqual(around);
    expect(timelineJson('--at', `iso-beat-headers-filtered.log:${beat['start_line']}`).window).toEqual(around);
    const past = beatscope('report', 'timeline', '--db', db, '--at', `${ISO}:99999`);
    expect(past.code).toBe(2);
    expect(past.err).toContain('there is no line 99999');
    const both = beatscope('report', 'timeline', '--db', db, '--at', String(beat['id']), '--log', ISO);
    expect(both.code).toBe(2);
    expect(beatscope('report', 'flows', '--db', db, '--at', String(beat['id'])).err).toContain('no --at option');
  });

  it('refuses a file that is not stored, and --log on another report (exit 2)', () => {
    const missing = beatscope('report', 'timeline', '--db', db, '--log', 'nope.log');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no stored file is nope.log');
    const other = beatscope('report', 'heatmap', '--db', db, '--log', ISO);
    expect(other.code).toBe(2);
    expect(other.err).toContain('the heatmap report has no --log option');
  });
});
