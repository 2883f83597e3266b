import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, importText } from './import-file.js';
import { serilogImporter } from './serilog.js';

const DIR = path.resolve(__dirname, '../../test/fixtures/serilog');

describe('serilog', () => {
  it('reads the console template: no date, so no time; exception lines as continuation', async () => {
    const r = await importFile(path.join(DIR, 'console.log'));
    expect(r.importer.id).toBe('serilog');
    expect(r.records).toHaveLength(4);
    expect(r.records[0]).toEqual({
      line: 1,
      lineCount: 1,
      level: 'info',
      category: 'RenderX.Plugins.ControlPanel.Handlers.ControlPanelHandlers',
      message: '🎨 CSS created successfully',
    });
    expect(r.records[2]).toEqual({
      line: 3,
      lineCount: 3,
      level: 'error',
      category: 'RenderX.Shell.Avalonia.Infrastructure.Plugins.PluginLoader',
      message: '❌ Failed to load plugin CanvasPlugin',
      continuation: [
        "System.IO.FileNotFoundException: Could not find file 'canvas.js'.",
        '   at RenderX.Shell.Avalonia.Infrastructure.Plugins.PluginLoader.LoadAsync(String id)',
      ],
    });
    expect(r.records[3]).toMatchObject({ line: 6, level: 'warn' });
  });

  it('reads the file template with its zone offset', async () => {
    const r = await importFile(path.join(DIR, 'file.log'));
    expect(r.records.map((x) => [x.line, x.level, x.timeMs, x.lineCount])).toEqual([
      [1, 'info', Date.parse('2025-11-09T19:30:45.123Z'), 1],
      [2, 'debug', Date.parse('2025-11-09T19:30:45.130Z'), 1],
      [3, 'error', Date.parse('2025-11-09T19:30:46.002Z'), 3],
    ]);
    expect(r.records[0]!.message).toBe('🎨 CSS created successfully');
  });

  it('keeps lines before the first entry as unknown and reads an absent SourceContext', () => {
    const r = importText(serilogImporter, 'starting\n[09:00:01 INF] : no context here\n');
    expect(r.unknown).toEqual([{ line: 1, text: 'starting' }]);
    expect(r.records).toEqual([{ line: 2, lineCount: 1, level: 'info', message: 'no context here' }]);
  });
});
