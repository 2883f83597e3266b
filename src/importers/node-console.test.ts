import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, importText } from './import-file.js';
import { nodeConsoleImporter } from './node-console.js';

const FIXTURE = path.resolve(
  __dirname,
  '../../test/fixtures/node-console/musical-conductor-1.4.5.play-with-throwing-handler.log',
);

describe('node-console on real musical-conductor 1.4.5 output', () => {
  it('reads every line into 86 records with group indentation', async () => {
    const r = await importFile(FIXTURE);
    expect(r.importer.id).toBe('node-console');
    expect(r.read.lines).toBe(114);
    expect(r.records).toHaveLength(86);
    expect(r.unknown).toEqual([]);
    expect(r.records.reduce((n, x) => n + x.lineCount, 0)).toBe(114);
    expect(r.records.filter((x) => x.indent === 1)).toHaveLength(18);
    expect(r.records.filter((x) => x.indent === 2)).toHaveLength(16);
    const group = r.records.find((x) => x.line === 59);
    expect(group).toEqual({ line: 59, lineCount: 1, indent: 1, message: '🎼 Sequence: Demo Load' });
  });

  it('attaches a multi-line object literal to the entry it follows', async () => {
    const r = await importFile(FIXTURE);
    expect(r.records.find((x) => x.line === 69)).toEqual({
      line: 69,
      lineCount: 9,
      indent: 2,
      message: '🎯 Event: demo:load',
      continuation: [
        '{',
        "  sequence: 'Demo Load',",
        "  movement: 'Movement 1',",
        '  beat: 1,',
        "  type: 'UNKNOWN',",
        "  timing: 'immediate',",
        "  dynamics: 'mf'",
        '}',
      ],
    });
  });

  it('attaches stack frames to the error line, at top level and inside a group', async () => {
    const r = await importFile(FIXTURE);
    const mount = r.records.find((x) => x.line === 29)!;
    expect(mount.message).toBe(
      '❌ Failed to mount plugin BrokenPlugin: Error: Movement 0 in sequence "Broken" (id: broken-symphony) must have an id',
    );
    expect(mount.lineCount).toBe(11);
    expect(mount.continuation![1]).toBe('at Array.forEach (<anonymous>)');
    const handler = r.records.find((x) => x.line === 98)!;
    expect(handler).toEqual({
      line: 98,
      lineCount: 3,
      indent: 2,
      message: '🧠 PluginManager: Handler execution failed for DemoPlugin.explode: Error: boom in handler',
      continuation: [
        'at explode (file:///tmp/mcx/gen.mjs:12:26)',
        'at run (file:///work/main/node_modules/musical-conductor/dist/modules/communication/sequences/plugins/PluginManager.js:247:58)',
      ],
    });
    expect(r.records.find((x) => x.line === 101)?.message).toBe(
      '🎽 DataBaton: No changes | seq=Demo Load beat=2 event=demo:fail handler=?',
    );
  });

  it('closes an object opened at the end of a message line, and an error with properties', () => {
    const r = importText(
      nodeConsoleImporter,
      [
        '  📊 Stats: {',
        '    a: 1,',
        '    b: [ 1, 2 ]',
        '  }',
        'Error: x',
        '    at f (a.js:1:2) {',
        "  code: 'E_X'",
        '}',
        'after',
      ].join('\n'),
    );
    expect(r.records).toEqual([
      { line: 1, lineCount: 4, indent: 1, message: '📊 Stats: {', continuation: ['  a: 1,', '  b: [ 1, 2 ]', '}'] },
      { line: 5, lineCount: 4, message: 'Error: x', continuation: ['at f (a.js:1:2) {', "  code: 'E_X'", '}'] },
      { line: 9, lineCount: 1, message: 'after' },
    ]);
  });
});
