/**
 * One bad line costs one line: real console lines (test/fixtures) with one line spoiled the way real
 * files get spoiled — a NUL inside it, a NUL tail left by a crash, an absurd number, bare CR line ends —
 * parse to the same trace for every other line, and the bad line gets one diagnostic naming it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFile } from '../../src/ingest/parse-file.js';
import type { TraceEntity } from '../../src/model/index.js';

const dir = mkdtempSync(join(tmpdir(), 'beatscope-bad-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURE = new URL('../fixtures/chrome-console/e2-per-source-location.log', import.meta.url);
const LINES = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((l) => l !== '');

async function parse(name: string, content: string | Buffer) {
  const path = join(dir, name);
  writeFileSync(path, content);
  const entities: TraceEntity[] = [];
  const { info, complete } = await parseFile(path, 'f', (batch) => entities.push(...batch));
  const said = info.diagnostics.map((d) => `${d.line} ${d.severity} ${d.message}`);
  return { info, complete, entities, said };
}

/** Entities of a kind, for comparing two parses of the same lines. */
const ofKind = (entities: TraceEntity[], kind: string) => entities.filter((e) => e.kind === kind);

describe('one bad line in a real console', () => {
  it('reads the fixture clean: 9 lines, beat 2 of Control Panel UI Render', async () => {
    const clean = await parse('clean.log', `${LINES.join('\n')}\n`);
    expect(LINES).toHaveLength(9);
    expect(clean.said).toEqual([]);
    expect(clean.info.lines).toBe(9);
    expect(ofKind(clean.entities, 'beat-run')).toHaveLength(1);
  });

  it('a NUL inside a line: that line is unknown with a warning at its number, the file is kept', async () => {
    const clean = await parse('clean.log', `${LINES.join('\n')}\n`);
    const spoiled = LINES.map((l, i) => (i === 6 ? l.replace('Event:', 'Ev\u0000ent:') : l));
    const bad = await parse('nul.log', `${spoiled.join('\n')}\n`);
    expect(bad.complete).toBe(true);
    expect(bad.said).toEqual(['7 warning binary content at line 7; kept as an unknown line']);
    expect(bad.info.lines).toBe(9);
    expect(bad.info.linesUnknown).toBe(clean.info.linesUnknown + 1);
    const unknown = bad.entities.filter((e) => e.kind === 'unknown-line');
    expect(JSON.stringify(unknown)).toContain(JSON.stringify(spoiled[6]!.replace('\u0000', '\u2400')));
  });

  it('a NUL tail after the last line (a crashed writer): one warning, every line as before', async () => {
    const clean = await parse('clean.log', `${LINES.join('\n')}\n`);
    const bad = await parse('tail.log', Buffer.concat([Buffer.from(`${LINES.join('\n')}\n`), Buffer.alloc(65536)]));
    expect(bad.said).toEqual([
      '10 warning the file ends in 65,536 NUL characters from line 10 (cut off, or pre-allocated by a writer that crashed); ignored',
    ]);
    expect(bad.info).toMatchObject({ lines: 9, linesUnknown: clean.info.linesUnknown });
    expect(bad.entities.filter((e) => e.kind !== 'session')).toEqual(
      clean.entities.filter((e) => e.kind !== 'session'),
    );
  });

  it.each([
    [
      'a beat number of 2^31',
      2,
      (l: string) => l.replace('Beat 2 Started', 'Beat 2147483648 Started'),
      'beat 2147483648 is not a count (0 to 2147483647)',
    ],
    [
      'a beat number of 1e21',
      0,
      (l: string) => l.replace('beat 2 (2/3)', 'beat 999999999999999999999 (2/3)'),
      'beat 1e+21 is not a count (0 to 2147483647)',
    ],
  ])('%s costs that line with a warning, not the file', async (_what, index, spoil, why) => {
    const clean = await parse('clean.log', `${LINES.join('\n')}\n`);
    const spoiled = LINES.map((l, i) => (i === index ? spoil(l) : l));
    const bad = await parse('number.log', `${spoiled.join('\n')}\n`);
    expect(bad.complete).toBe(true);
    expect(bad.said).toEqual([`${index + 1} warning line ${index + 1}: ${why}; kept as an unknown line`]);
    expect(bad.info.linesUnknown).toBe(clean.info.linesUnknown + 1);
  });

  it('a JSONL time of 1e300 costs its line; a fractional one is floored to whole ms', async () => {
    const jsonl = readFileSync(new URL('../fixtures/jsonl-events/session.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const spoiled = jsonl.map((l, i) =>
      i === 1 ? l.replace(/"t":[0-9]+/, '"t":1e300') : i === 4 ? l.replace(/"t":([0-9]+)/, '"t":$1.75') : l,
    );
    expect(spoiled[1]).toContain('"t":1e300');
    expect(spoiled[4]).toMatch(/"t":[0-9]+\.75/);
    const bad = await parse('bad.jsonl', `${spoiled.join('\n')}\n`);
    expect(bad.said).toEqual(['2 warning line 2: time 1e+300 ms is outside ±8.64e+15 ms; kept as an unknown line']);
    expect(bad.complete).toBe(true);
    const error = bad.entities.find((e) => e.kind === 'handler-error');
    expect(error && 'timeMs' in error ? error.timeMs : undefined).toBe(Number(/"t":([0-9]+)/.exec(jsonl[4]!)![1]));
  });

  it('bare CR line ends (old Mac saves) read as the same lines and runs as LF', async () => {
    const lf = await parse('lf.log', `${LINES.join('\n')}\n`);
    const cr = await parse('cr.log', `${LINES.join('\r')}\r`);
    expect(cr.said).toEqual([]);
    expect(cr.info.lines).toBe(9);
    expect(cr.entities).toEqual(lf.entities);
  });
});
