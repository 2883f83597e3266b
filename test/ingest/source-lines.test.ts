/**
 * Reading stored lines back from their log file (src/ingest/source-lines.ts): numbered as the ingest numbered
 * them (a real UTF-16LE .NET console with CRLF line ends), from the file while it holds what was ingested
 * (also when it grew or was touched), from the store for the lines it keeps when the file changed or is gone.
 */
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import {
  entityLineRef,
  findStoredFile,
  LineRefError,
  parseLineRef,
  sourceLines,
} from '../../src/ingest/source-lines.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/corpus/logs/dotnet-mel-console.app-output.utf16le.log');
/** The fixture's lines as UTF-16LE text split at LF, CR and BOM removed: what the ingest numbered. */
const EXPECTED = readFileSync(FIXTURE)
  .toString('utf16le')
  .replace(/^\ufeff/, '')
  .split('\n')
  .map((l) => l.replace(/\r$/, ''));

const dir = mkdtempSync(join(tmpdir(), 'beatscope-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LOG = join(dir, 'app.log');

async function ingested() {
  copyFileSync(FIXTURE, LOG);
  const store = await DuckDbStore.open(':memory:');
  const report = await ingest([LOG], { store });
  expect(report.outcomes.map((o) => o.status)).toEqual(['ingested']);
  return store;
}

let store: DuckDbStore;
beforeEach(async () => {
  store = await ingested();
  return () => store.close();
});

describe('sourceLines', () => {
  it('reads the asked lines and their context from the unchanged file, numbered as ingested', async () => {
    const r = await sourceLines(store, parseLineRef('app.log:79-80'), { context: 2 });
    expect(r.fileState).toBe('unchanged');
    expect(r.file.lines).toBe(162);
    expect(r.lines.map((l) => l.line)).toEqual([77, 78, 79, 80, 81, 82]);
    expect(r.lines.map((l) => l.requested)).toEqual([false, false, true, true, false, false]);
    expect(r.lines.map((l) => l.text)).toEqual(EXPECTED.slice(76, 82));
    expect(r.lines[2]!.text).toBe('warn: MusicalConductor.Avalonia.Engine.JintEngineHost[0]');
    expect(r.lines.every((l) => l.from === 'file')).toBe(true);
  });

  it('clips the context to the file and reads its last line', async () => {
    const r = await sourceLines(store, parseLineRef('app.log:162'), { context: 3 });
    expect(r.lines.map((l) => l.line)).toEqual([159, 160, 161, 162]);
    expect(r.lines.at(-1)!.text).toBe(EXPECTED[161]);
  });

  it('still reads a file that grew or was touched since: its content starts with what was ingested', async () => {
    appendFileSync(LOG, Buffer.from('info: later line\r\n', 'utf16le'));
    utimesSync(LOG, new Date(), new Date(Date.now() + 5_000));
    const r = await sourceLines(store, parseLineRef('app.log:97'));
    expect(r.fileState).toBe('unchanged');
    expect(r.lines[0]!.text).toBe(EXPECTED[96]);
  });

  it('takes the lines the store keeps when the file changed, and says which it does not have', async () => {
    const bytes = readFileSync(LOG);
    bytes[bytes.length - 4]! ^= 1; // one character of the last line
    writeFileSync(LOG, bytes);
    const r = await sourceLines(store, parseLineRef('app.log:96-97'));
    expect(r.fileState).toBe('changed');
    const warning = (await store.entities('log-message')).find((m) => m.line === 97)!;
    expect(warning.text).toBe('ThinHostLayer is already initialized');
    expect(r.lines).toEqual([
      { line: 96, text: null, requested: true, from: null },
      { line: 97, text: warning.text, requested: true, from: 'store' },
    ]);
  });

  it('takes unknown lines from the store when the file is gone', async () => {
    rmSync(LOG);
    const r = await sourceLines(store, parseLineRef('app.log:1'));
    expect(r.fileState).toBe('missing');
    expect(r.lines).toEqual([{ line: 1, text: EXPECTED[0], requested: true, from: 'store' }]);
  });

  it('refuses a line past the end of the file as ingested', async () => {
    await expect(sourceLines(store, parseLineRef('app.log:163'))).rejects.toThrow(
      `${LOG} had 162 lines when it was ingested; there is no line 163`,
    );
  });
});

describe('findStoredFile', () => {
  it('finds a file by stored path, file name or file-id prefix, and refuses an ambiguous name', async () => {
    const [info] = await store.files();
    expect((await findStoredFile(store, LOG)).fileId).toBe(info!.fileId);
    expect((await findStoredFile(store, 'app.log')).fileId).toBe(info!.fileId);
    expect((await findStoredFile(store, info!.fileId.slice(0, 6))).path).toBe(LOG);
    await expect(findStoredFile(store, 'other.log')).rejects.toThrow(
      'no stored file is other.log (beatscope sql "select file_id, path from files" lists them)',
    );
    mkdirSync(join(dir, 'b'), { recursive: true });
    const second = join(dir, 'b', 'app.log');
    writeFileSync(
      second,
      'EventBus.ts:56 2026-11-20T09:00:00.000Z 🎼 EventBus: Using internal conductor (legacy mode)\n',
    );
    await ingest([second], { store });
    await expect(findStoredFile(store, 'app.log')).rejects.toThrow(/app\.log names 2 stored files: /);
    expect((await findStoredFile(store, second)).path).toBe(second);
  });
});

describe('parseLineRef', () => {
  it('reads <file>:<line> and <file>:<first>-<last>, colons in the file name included', () => {
    expect(parseLineRef('app.log:12')).toEqual({ file: 'app.log', first: 12, last: 12 });
    expect(parseLineRef('C:\\logs\\app.log:3-9')).toEqual({ file: 'C:\\logs\\app.log', first: 3, last: 9 });
  });

  it('refuses anything else with a LineRefError', () => {
    for (const bad of ['app.log', 'app.log:', 'app.log:0', 'app.log:9-3', ':12']) {
      expect(() => parseLineRef(bad)).toThrow(LineRefError);
    }
  });
});

describe('entityLineRef', () => {
  const CHROME = join(ROOT, 'test/fixtures/chrome-console/iso-beat-headers-filtered.log');
  const CHROME_LINES = readFileSync(CHROME, 'utf8').split('\n');

  it("gives a run's lines by its id or request id, a handler run's line by its id", async () => {
    const chrome = await DuckDbStore.open(':memory:');
    try {
      await ingest([CHROME], { store: chrome });
      const [run] = await chrome.query(
        "SELECT id, request_id, start_line, end_line FROM sequence_runs WHERE status = 'completed' ORDER BY start_line LIMIT 1",
      );
      const [info] = await chrome.files();
      const span = { file: info!.fileId, first: Number(run!['start_line']), last: Number(run!['end_line']) };
      expect(span.last).toBeGreaterThan(span.first);
      expect(await entityLineRef(chrome, String(run!['id']))).toEqual(span);
      expect(await entityLineRef(chrome, String(run!['request_id']))).toEqual(span);
      const r = await sourceLines(chrome, span);
      expect(r.lines.map((l) => l.text)).toEqual(CHROME_LINES.slice(span.first - 1, span.last));
      expect(r.lines[0]!.text).toContain('ExecutionQueue: Now executing "Library Load"');
      expect(r.lines.some((l) => l.text!.includes(`Request ID: ${String(run!['request_id'])}`))).toBe(true);

      const [handlerRun] = await chrome.query(
        "SELECT id, line FROM handler_runs WHERE handler = 'notifyUi' ORDER BY line LIMIT 1",
      );
      const one = await entityLineRef(chrome, String(handlerRun!['id']));
      expect(one).toEqual({ file: info!.fileId, first: 283, last: 283 });
      expect((await sourceLines(chrome, one!)).lines[0]!.text).toBe(CHROME_LINES[282]);
      expect(CHROME_LINES[282]).toContain('handler=notifyUi');

      expect(await entityLineRef(chrome, 'no-such-request')).toBeUndefined();
    } finally {
      await chrome.close();
    }
  });
});
