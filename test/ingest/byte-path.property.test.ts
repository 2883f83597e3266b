/**
 * The byte path (src/importers/chrome-bytes.ts) must give exactly what the string reader gives: the same
 * entities in the same batches, the same line counts and diagnostics. Real Chrome consoles
 * (test/fixtures/chrome-console, the corpus' Chrome logs), then random mixes of their lines with spoiled
 * ones: NUL, CR-only line ends, control bytes, invalid UTF-8, U+FFFD, huge numbers, cut lines, a BOM, a
 * missing final newline. Bad lines keep their behaviour: one diagnostic per line, the file goes on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readChromeBytes } from '../../src/importers/chrome-bytes.js';
import { ChromeParser } from '../../src/importers/chrome-console.js';
import { classifyRecord } from '../../src/importers/grammar/classify.js';
import { parseFile } from '../../src/ingest/parse-file.js';
import type { LogRecord, TelemetryEvent, TraceEntity } from '../../src/model/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROME = [
  ...['e1-location-iso.log', 'e2-per-source-location.log', 'e3-e4-empty-location-iso.log', 'e5-other-locations.log'],
  ...['e3-empty-location.log', 'e6-iso-only.log', 'iso-beat-headers-filtered.log'],
].map((f) => join(ROOT, 'test/fixtures/chrome-console', f));
const CORPUS = [
  'chrome-per-source-location.devtools-transcript.log',
  'chrome-per-source-location.resize-move.log',
  'chrome-saved-empty-location-iso.excerpt-2.log',
  'chrome-saved-empty-location.sample-telemetry.log',
  'chrome-saved-installhook.excerpt-1.log',
].map((f) => join(ROOT, 'test/fixtures/corpus/logs', f));

const dir = mkdtempSync(join(tmpdir(), 'beatscope-byte-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function parsed(path: string, bytePath: boolean) {
  const batches: TraceEntity[][] = [];
  const { info, complete } = await parseFile(path, 'f', (b) => batches.push(b), { bytePath });
  return { info, complete, batches };
}

/** Lines the byte path read before handing over (all of them: `done`). */
async function bytePathReach(path: string) {
  return readChromeBytes(path, new ChromeParser({ record: () => {}, unknown: () => {}, diagnostic: () => {} }));
}

describe('the byte path for Chrome consoles', () => {
  it.each([...CHROME, ...CORPUS].map((f) => [f.split('/').pop()!, f]))(
    'reads %s as the string reader does',
    async (_name, path) => {
      const strings = await parsed(path, false);
      expect(await parsed(path, true)).toEqual(strings);
      expect(strings.info.format).toBe('chrome-console');
    },
  );

  it('reads clean consoles whole, and hands a file over at its first bad line', async () => {
    const path = join(ROOT, 'test/fixtures/chrome-console/iso-beat-headers-filtered.log');
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    expect(await bytePathReach(path)).toMatchObject({ done: true, lines: lines.length - 1, finalNewline: true });
    lines[99] = `${lines[99]}\u0000`;
    const spoiled = join(dir, 'nul-at-100.log');
    writeFileSync(spoiled, lines.join('\n'));
    const at = Buffer.byteLength(`${lines.slice(0, 99).join('\n')}\n`);
    expect(await bytePathReach(spoiled)).toMatchObject({ done: false, lines: 99, start: at, proven: true });
    const viaBytes = await parsed(spoiled, true);
    expect(viaBytes).toEqual(await parsed(spoiled, false));
    expect(viaBytes.info.diagnostics.map((d) => d.message)).toEqual([
      'binary content at line 100; kept as an unknown line',
    ]);
  });

  it('hands the parser the same records as the string reader, messages included, and the grammar’s events', async () => {
    const records = async (bytes: boolean) => {
      const out: unknown[] = [];
      const sink = {
        record: (r: LogRecord, classified?: TelemetryEvent) =>
          out.push({ ...r, message: `${r.message}`, event: classified ?? classifyRecord(r) }),
        unknown: (line: number, text: string) => out.push({ line, text }),
        diagnostic: () => {},
      };
      for (const path of [...CHROME, ...CORPUS]) {
        const parser = new ChromeParser(sink);
        if (bytes) expect((await readChromeBytes(path, parser)).done).toBe(true);
        else for (const [i, line] of readFileSync(path, 'utf8').split('\n').entries()) parser.line(line, i + 1);
        parser.end();
      }
      return out;
    };
    const viaBytes = await records(true);
    expect(viaBytes.length).toBeGreaterThan(1000);
    expect(viaBytes).toStrictEqual(await records(false));
  });

  const POOL = [...CHROME, ...CORPUS].flatMap((f) => readFileSync(f, 'utf8').split('\n'));
  const spoilArb = fc.constantFrom('\u0000', '\r', '\r\n', '\u0001', '\u001b', '\t', '\ufffd', '\u000b', 'é', '🎵');
  const lineArb = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...POOL) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...POOL), spoilArb, fc.nat())
        .map(([l, c, at]) => l.slice(0, at % (l.length + 1)) + c + l.slice(at % (l.length + 1))),
    },
    { weight: 1, arbitrary: fc.constantFrom(...POOL).map((l) => l.slice(0, Math.floor(l.length / 2))) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('1e400', '99999999999999999999', '2147483648', '-1', '0.5', 'NaN')
        .map(
          (n) => `MovementExecutor.ts:80 2026-11-20T09:00:00.000Z 🥁 MovementExecutor: Executing beat ${n} (${n}/${n})`,
        ),
    },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'Object', '▶ {x: 1}', '    at f (A.ts:1:2)', 'VM12:3 hi') },
  );

  it('reads random mixes of real and spoiled lines as the string reader does', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 1, maxLength: 300 }),
        fc.constantFrom('\n', '\n', '\r\n', '\r'),
        fc.boolean(),
        fc.constantFrom('', '', '', '\ufeff', '\u0000\u0000'),
        async (lines, eol, finalEol, edge) => {
          const path = join(dir, `mix-${n++}.log`);
          const body = lines.join(eol) + (finalEol ? eol : '');
          // A BOM opens the file; NULs end it (a writer's pre-allocated tail).
          writeFileSync(path, edge === '\ufeff' ? edge + body : body + edge);
          expect(await parsed(path, true)).toEqual(await parsed(path, false));
        },
      ),
      { numRuns: 150 },
    );
  }, 240_000);

  it('cuts a huge line as the string reader does', async () => {
    const path = join(dir, 'huge-line.log');
    const line = POOL.find((l) => /^\w+\.ts:\d+ \d{4}-/.test(l))!;
    writeFileSync(path, `${line}\n${line}${'x'.repeat(2_200_000)}\n${line}\n`);
    const viaBytes = await parsed(path, true);
    expect(viaBytes).toEqual(await parsed(path, false));
    expect(viaBytes.info.lines).toBe(3);
    expect(viaBytes.info.diagnostics.map((d) => d.message)).toEqual([
      `line 2 is ${(line.length + 2_200_000).toLocaleString('en-US')} characters; kept the first 65,536`,
    ]);
  });
});
