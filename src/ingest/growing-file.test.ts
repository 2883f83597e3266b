import { appendFile, copyFile, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEntity } from '../model/index.js';
import { entityLine } from '../store/entity-file.js';
import { GrowingFile, type GrowingRound } from './growing-file.js';
import { parseFile } from './parse-file.js';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures');
/** Real consoles of every envelope the rounds must rebuild like a one-shot ingest. */
const LOGS = [
  'chrome-console/iso-beat-headers-filtered.log',
  'dom-app/logs/localhost-1795000000000.log',
  'node-console/musical-conductor-1.4.5.play-with-throwing-handler.log',
  'jsonl-events/session.jsonl',
  'corpus/logs/chrome-saved-empty-location.sample-telemetry.log',
  'corpus/logs/chrome-per-source-location.devtools-transcript.log',
  'corpus/logs/cypress-capture.component-resize.excerpt.log',
  'corpus/logs/mixed-envelopes.doc-excerpts.log',
  'corpus/logs/dotnet-mel-console.app-output.log',
  'corpus/logs/playwright-capture.reformatted.log',
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beatscope-growing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An entity as the store names it: by id, or by kind and line for kinds without one. */
const refOf = (e: TraceEntity) => ('id' in e ? `${e.kind}:${e.id}` : `${e.kind}@${entityLine(e)}`);

/** What a store holds after each round: final entities kept, the previous round's provisional ones replaced. */
class RoundStore {
  private readonly kept: string[] = [];
  private provisional: string[] = [];
  apply(round: GrowingRound): void {
    const dropped = new Set(this.provisional.map((s) => refOf(JSON.parse(s) as TraceEntity)));
    // Final entities of this round may carry a provisional one's name: the store drops first, then adds.
    for (let i = this.kept.length - 1; i >= 0; i--) {
      if (dropped.has(refOf(JSON.parse(this.kept[i]!) as TraceEntity))) this.kept.splice(i, 1);
    }
    for (const e of round.final) this.kept.push(JSON.stringify(e));
    this.provisional = round.provisional.map((e) => JSON.stringify(e));
  }
  all(): string[] {
    return [...this.kept, ...this.provisional].sort();
  }
}

async function oneShot(path: string, fileId: string) {
  const entities: string[] = [];
  const { info } = await parseFile(path, fileId, (batch) => {
    for (const e of batch) entities.push(JSON.stringify(e));
  });
  return { entities: entities.sort(), info };
}

describe('GrowingFile', () => {
  it.each(LOGS)('rounds over %s cut anywhere store what one ingest of the whole file stores', async (log) => {
    const bytes = await readFile(join(FIXTURES, log));
    // Every line complete: a last line without a newline waits for one in a growing file.
    const content = bytes.at(-1) === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from('\n')]);
    const whole = join(dir, `whole-${log.replaceAll('/', '_')}`);
    await writeFile(whole, content);
    const expected = await oneShot(whole, 'f0');
    expect(expected.entities.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: content.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const path = join(dir, `growing-${log.replaceAll('/', '_')}`);
          await writeFile(path, '');
          let file = new GrowingFile(path, whole, 'f0');
          let store = new RoundStore();
          let last: GrowingRound | undefined;
          let from = 0;
          for (const to of [...cuts.sort((a, b) => a - b), content.length]) {
            await appendFile(path, content.subarray(from, to));
            from = to;
            let round = await file.next();
            if (round === 'restart') {
              // The first lines now sniff as another format: read again from the start, replacing what was stored.
              file = new GrowingFile(path, whole, 'f0');
              store = new RoundStore();
              round = await file.next();
            }
            if (round === undefined) continue;
            if (typeof round === 'string') throw new Error(`round said ${round}`);
            store.apply(round);
            last = round;
          }
          expect(store.all()).toEqual(expected.entities);
          const info = last!.info;
          expect({ ...info, mtimeMs: 0, diagnostics: [] }).toEqual({ ...expected.info, mtimeMs: 0, diagnostics: [] });
          expect(info.diagnostics.map((d) => JSON.stringify(d)).sort()).toEqual(
            expected.info.diagnostics.map((d) => JSON.stringify(d)).sort(),
          );
          expect(file.bytesRead).toBe(content.length);
        },
      ),
      { numRuns: 6 },
    );
  });

  it('reads appended lines only, waits for a partial last line, and prints what it read', async () => {
    const source = await readFile(join(FIXTURES, 'chrome-console/iso-beat-headers-filtered.log'));
    const lines = source.toString('utf8').split('\n');
    const path = join(dir, 'partial.log');
    await writeFile(path, `${lines.slice(0, 100).join('\n')}\n${lines[100]!.slice(0, 20)}`);
    const file = new GrowingFile(path, path, 'f1');
    const first = await file.next();
    if (typeof first !== 'object') throw new Error(`first round: ${first}`);
    expect(first.newLines).toBe(100);
    expect(first.info.lines).toBe(100);
    expect(await file.next()).toBeUndefined(); // the cut line has no newline yet
    await appendFile(path, `${lines[100]!.slice(20)}\n${lines[101]}\n`);
    const second = await file.next();
    if (typeof second !== 'object') throw new Error(`second round: ${second}`);
    expect(second.newLines).toBe(2);
    expect(second.info.lines).toBe(102);
    const read = Buffer.from(`${lines.slice(0, 102).join('\n')}\n`);
    expect(file.bytesRead).toBe(read.length);
    expect(second.print?.contentBytes).toBe(read.length);
    const { createHash } = await import('node:crypto');
    expect(second.print?.digest).toBe(createHash('sha256').update(read).digest('hex'));
  });

  it('says restart when the file is truncated or replaced, and unsupported for UTF-16', async () => {
    const path = join(dir, 'replaced.log');
    await copyFile(join(FIXTURES, 'chrome-console/e1-location-iso.log'), path);
    const file = new GrowingFile(path, path, 'f2');
    expect(typeof (await file.next())).toBe('object');
    await truncate(path, 10);
    expect(await file.next()).toBe('restart');
    const other = new GrowingFile(path, path, 'f3');
    await copyFile(join(FIXTURES, 'chrome-console/e1-location-iso.log'), path);
    expect(typeof (await other.next())).toBe('object');
    const text = await readFile(path, 'utf8');
    await writeFile(path, `${text.replaceAll('Z', 'X')}more\n`); // same size and more, other bytes before the offset
    expect(await other.next()).toBe('restart');
    const utf16 = join(dir, 'utf16.log');
    await copyFile(join(FIXTURES, 'corpus/logs/dotnet-mel-console.app-output.utf16le.log'), utf16);
    expect(await new GrowingFile(utf16, utf16, 'f4').next()).toBe('unsupported');
  });
});

describe('GrowingFile diagnostics', () => {
  it('keeps the first 1,000 of a file served bad lines for long, and counts the rest', async () => {
    const path = join(dir, 'junk.log');
    const good = (await readFile(join(FIXTURES, 'chrome-console/e1-location-iso.log'), 'utf8')).split('\n')[0]!;
    await writeFile(path, `${good}\n`);
    const file = new GrowingFile(path, path, 'f5');
    expect(typeof (await file.next())).toBe('object');
    let last: GrowingRound | undefined;
    for (let round = 0; round < 3; round++) {
      // Lines with a NUL inside: each is kept as an unknown line with a diagnostic naming it.
      await appendFile(path, Array.from({ length: 600 }, (_, i) => `${good} \u0000 ${round}-${i}\n`).join(''));
      const r = await file.next();
      if (typeof r !== 'object') throw new Error(`round said ${r}`);
      last = r;
    }
    const { diagnostics, lines } = last!.info;
    expect(lines).toBe(1801);
    expect(diagnostics).toHaveLength(1001);
    expect(diagnostics.at(-1)!.message).toBe('800 more diagnostics of this file not kept (the first 1,000 are)');
  });
});
