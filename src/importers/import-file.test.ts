import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '../model/index.js';
import { importFile } from './import-file.js';
import { formatJsonlEntry, JSONL_HEADER } from './jsonl-events.js';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures');
const tmp = mkdtempSync(path.join(tmpdir(), 'beatscope-roundtrip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Readable one-line dump, the form a human checks a snapshot in. */
function dump(r: LogRecord): string {
  const time = r.timeMs === undefined ? '-' : new Date(r.timeMs).toISOString();
  const cont = r.continuation ? ` +${r.continuation.length}` : '';
  return `${time} ${r.level ?? '-'} ${r.location ?? r.category ?? '-'} ${'  '.repeat(r.indent ?? 0)}${r.message}${cont}`;
}

const withoutLines = (records: readonly LogRecord[]) => records.map(({ line: _l, lineCount: _c, ...rest }) => rest);

describe('round trip: fixture → records → JSONL v1 → records', () => {
  it.each([
    ['chrome-console/e1-location-iso.log', 'chrome-console', 4],
    ['chrome-console/e2-per-source-location.log', 'chrome-console', 8],
    ['chrome-console/e3-empty-location.log', 'chrome-console', 10],
    ['chrome-console/e3-e4-empty-location-iso.log', 'chrome-console', 8],
    ['chrome-console/e5-other-locations.log', 'chrome-console', 11],
    ['chrome-console/e6-iso-only.log', 'chrome-console', 3],
    ['cypress-capture/component-resize.log', 'cypress-capture', 12],
    ['playwright-capture/console.jsonl', 'playwright-capture', 6],
    ['playwright-capture/console-array.json', 'playwright-capture', 4],
    ['playwright-capture/reformatted.log', 'playwright-capture', 4],
    ['dotnet-mel-console/app-output.log', 'dotnet-mel-console', 4],
    ['dotnet-mel-console/exception-and-single-line.log', 'dotnet-mel-console', 4],
    ['serilog/console.log', 'serilog', 4],
    ['serilog/file.log', 'serilog', 3],
    ['jsonl-events/session.jsonl', 'jsonl-events', 5],
    ['node-console/musical-conductor-1.4.5.play-with-throwing-handler.log', 'node-console', 86],
    ['log-file-index/index.tsv', 'log-file-index', 5],
  ])('%s', async (file, format, count) => {
    const first = await importFile(path.join(FIXTURES, file));
    expect(first.importer.id).toBe(format);
    expect(first.records).toHaveLength(count);
    const out = path.join(tmp, `${file.replaceAll('/', '_')}.jsonl`);
    writeFileSync(out, `${[JSONL_HEADER, ...first.records.map(formatJsonlEntry)].join('\n')}\n`);
    const again = await importFile(out);
    expect(again.importer.id).toBe('jsonl-events');
    expect(withoutLines(again.records)).toEqual(withoutLines(first.records));
    expect(again.records.map(dump)).toEqual(first.records.map(dump));
  });

  it('dumps a fixture readably', async () => {
    const r = await importFile(path.join(FIXTURES, 'chrome-console/e2-per-source-location.log'));
    expect(r.records.slice(5, 8).map(dump)).toEqual([
      '- - EventLogger.ts:148 📊 Beat: 2',
      '- - EventLogger.ts:152 🎯 Event: control:panel:ui:sections:generate +1',
      '- - DataBaton.ts:114 🎽 DataBaton: +sections | seq=Control Panel UI Render beat=? event=control:panel:ui:sections:generate handler=generateSections plugin=ControlPanelPlugin req=control-panel-ui-render-symphony-1756811788221-e0u1pnaxw preview={"sections":[]}',
    ]);
  });
});
