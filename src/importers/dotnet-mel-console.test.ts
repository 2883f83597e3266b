import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotnetMelConsoleImporter } from './dotnet-mel-console.js';
import { importFile } from './import-file.js';

const DIR = path.resolve(__dirname, '../../test/fixtures/dotnet-mel-console');
const JINT = 'MusicalConductor.Avalonia.Engine.JintEngineHost';

describe('dotnet-mel-console', () => {
  it('reads two-line entries and keeps MSBuild lines as unknown', async () => {
    const r = await importFile(path.join(DIR, 'app-output.log'));
    expect(r.importer.id).toBe('dotnet-mel-console');
    expect(r.unknown.map((u) => u.line)).toEqual([1]);
    expect(r.unknown[0]!.text).toMatch(/^C:\\source\\repos\\.* : warning NU1603: /);
    expect(r.records).toEqual([
      {
        line: 2,
        lineCount: 2,
        level: 'info',
        category: 'RenderX.HostSDK.Avalonia.Engine.HostSdkEngineHost',
        message: '?? Initializing browser API stubs for Host SDK',
      },
      {
        line: 4,
        lineCount: 2,
        level: 'info',
        category: 'RenderX.HostSDK.Avalonia.Engine.HostSdkEngineHost',
        message: '? Browser stubs initialized',
      },
      {
        line: 6,
        lineCount: 2,
        level: 'warn',
        category: JINT,
        message: '?? EventBus not found on MusicalConductor instance, cannot subscribe ConductorLogger',
      },
      {
        line: 8,
        lineCount: 2,
        level: 'info',
        category: 'RenderX.Shell.Avalonia.MainWindow',
        message: 'MainWindow initialization complete',
      },
    ]);
  });

  it('keeps exception lines as continuation, reads single-line entries and every level', async () => {
    const r = await importFile(path.join(DIR, 'exception-and-single-line.log'), dotnetMelConsoleImporter);
    expect(r.unknown).toEqual([]);
    expect(r.records).toEqual([
      {
        line: 1,
        lineCount: 2,
        level: 'info',
        category: JINT,
        message: '?? EventBus: Subscribed to "beat-started" (1 total subscribers)',
      },
      {
        line: 3,
        lineCount: 4,
        level: 'error',
        category: 'RenderX.Shell.Avalonia.Infrastructure.Plugins.PluginLoader',
        message: '? Failed to load plugin CanvasPlugin',
        continuation: [
          "System.IO.FileNotFoundException: Could not find file 'canvas.js'.",
          '   at RenderX.Shell.Avalonia.Infrastructure.Plugins.PluginLoader.LoadAsync(String id)',
        ],
      },
      {
        line: 7,
        lineCount: 1,
        level: 'error',
        category: 'RenderX.Shell.Avalonia.MainWindow',
        message: 'Unhandled exception in the render loop',
      },
      {
        line: 8,
        lineCount: 2,
        level: 'debug',
        category: 'MusicalConductor.Core.EventBus',
        message: '?? EventBus: Subscribed to event: beat-started (Total subscribers: 1)',
      },
    ]);
  });
});
