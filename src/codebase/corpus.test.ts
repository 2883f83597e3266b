import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CodeIndex } from '../model/code-index.js';
import { indexCodebase } from './index-codebase.js';
import { resolveBeat } from './query.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(repoRoot, 'test/fixtures/renderx');

// Expected values were computed once from the corpus files with a separate script (JSON.parse + counting).
describe('renderx corpus', () => {
  let index: CodeIndex;
  beforeAll(async () => {
    index = (await indexCodebase(corpus)).index;
  });

  it('loads every sequence file (index.json catalogs are not sequences)', () => {
    expect(index.sequences).toHaveLength(19);
    expect(new Set(index.sequences.map((s) => s.id)).size).toBe(19);
    expect(index.sequences.every((s) => s.origin === 'json' && s.movements.length === 1)).toBe(true);
    expect(index.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('counts beats, distinct handler names and events per plugin', () => {
    const beats = index.sequences.flatMap((s) => s.movements.flatMap((m) => m.beats));
    expect(beats).toHaveLength(45);
    expect(new Set(beats.map((b) => b.handler)).size).toBe(30);
    const events: Record<string, Set<string>> = {};
    for (const s of index.sequences) {
      const set = events[s.pluginId ?? '?'] ?? new Set<string>();
      for (const b of s.movements.flatMap((m) => m.beats)) set.add(b.event ?? '');
      events[s.pluginId ?? '?'] = set;
    }
    expect(Object.fromEntries(Object.entries(events).map(([k, v]) => [k, v.size]))).toEqual({
      ControlPanelPlugin: 28,
      HeaderThemePlugin: 3,
      LibraryComponentPlugin: 3,
      LibraryPlugin: 2,
    });
  });

  it('ignores the top-level integer `beats` count and keeps per-beat fields', () => {
    const uiInit = index.sequences.find((s) => s.id === 'control-panel-ui-init-symphony')!;
    expect(uiInit.movements[0]!.beats.map((b) => `${b.beat}:${b.handler}`)).toEqual([
      '1:initConfig',
      '2:initResolver',
      '3:loadSchemas',
      '4:registerObservers',
      '5:notifyReady',
      '6:initMovement',
    ]);
    expect(uiInit.handlersPath).toBe('@renderx-web/control-panel/symphonies/ui/ui.symphony');
    expect(uiInit.domainId).toBe('renderx-web-orchestration');
    expect(uiInit.movements[0]!.beats[0]!.acceptanceCriteriaCount).toBeGreaterThan(0);
  });

  it('normalises Windows backslash testFile paths and reports the links as stale (no code in the corpus)', () => {
    const toggle = index.sequences.find((s) => s.id === 'header-ui-theme-toggle-symphony')!;
    expect(toggle.movements[0]!.beats[0]!.testFile).toBe('tests/react-component-theme-toggle-e2e.spec.ts');
    const drag = index.sequences.find((s) => s.id === 'library-component-drag-symphony')!;
    expect(drag.movements[0]!.beats[0]!.testFile).toBe(
      'node_modules/@renderx-plugins/canvas-component/__tests__/import.interactions.drag-callbacks.spec.ts',
    );
    const beats = index.sequences.flatMap((s) => s.movements.flatMap((m) => m.beats));
    expect(beats.every((b) => !b.testFile?.includes('\\'))).toBe(true);
    const stale = index.problems.filter((p) => p.message.startsWith('stale testFile link'));
    expect(stale).toHaveLength(45);
    expect(stale.every((p) => p.file.startsWith('json-sequences/'))).toBe(true);
  });

  it('resolves topics-manifest and interaction-manifest routes', () => {
    // 96 topic routes + 58 interaction routes, 3 identical pairs → 151 distinct; 63 reach an indexed sequence.
    expect(index.topics).toHaveLength(151);
    const known = new Set(index.sequences.map((s) => s.id));
    expect(index.topics.filter((t) => known.has(t.sequenceId))).toHaveLength(63);
    const toggle = index.topics.find((t) => t.topic === 'app.ui.theme.toggle')!;
    expect(toggle).toEqual({
      topic: 'app.ui.theme.toggle',
      pluginId: 'HeaderThemePlugin',
      sequenceId: 'header-ui-theme-toggle-symphony',
    });
    const beats = resolveBeat(index, { pluginId: toggle.pluginId, sequenceId: toggle.sequenceId });
    expect(beats.map((b) => `${b.beat.event} → ${b.beat.handler}`)).toEqual(['app:ui:theme:toggle → toggleTheme']);
  });

  it('leaves handlers unresolved with the reason, since the corpus holds no source code', () => {
    expect(index.handlers.every((h) => h.location === null)).toBe(true);
    const drop = index.handlers.find((h) => h.handler === 'publishCreateRequested')!;
    expect(drop.unresolvedReason).toContain("handlersPath '@renderx-web/library-component'");
    expect(drop.sequences.map((s) => s.id).sort()).toEqual([
      'library-component-container-drop-symphony',
      'library-component-drop-symphony',
    ]);
  });
});
