import { describe, expect, it } from 'vitest';
import { classifyMessage } from './classify.js';
import { mountRules } from './mount-rules.js';
import { type MatchRow, type MissRow, matchFamily, sourceText } from './rule-table-fixtures.js';

/** Real lines of the captured consoles (envelope removed) → the event the rule yields. */
const ROWS: readonly MatchRow[] = [
  {
    source: 'node-1.4.5',
    message: '🧠 PluginManager: Attempting to mount plugin: DemoPlugin',
    expected: { kind: 'plugin-mount-attempt', pluginId: 'DemoPlugin' },
  },
  {
    source: 'node-1.4.5',
    message: '✅ Plugin mounted successfully: DemoPlugin',
    expected: { kind: 'plugin-mount-success', pluginId: 'DemoPlugin' },
  },
  {
    source: 'node-1.4.5',
    message:
      '❌ Failed to mount plugin BrokenPlugin: Error: Movement 0 in sequence "Broken" (id: broken-symphony) must have an id',
    expected: {
      kind: 'plugin-mount-failure',
      pluginId: 'BrokenPlugin',
      error: 'Error: Movement 0 in sequence "Broken" (id: broken-symphony) must have an id',
    },
  },
  {
    source: 'doc-excerpts',
    message: '🎼 SequenceRegistry: Registered sequence "Header UI Theme Toggle" (id: header-ui-theme-toggle-symphony)',
    expected: {
      kind: 'sequence-registered',
      sequenceName: 'Header UI Theme Toggle',
      sequenceId: 'header-ui-theme-toggle-symphony',
    },
  },
  {
    source: 'doc-excerpts',
    message: '✅ SequenceRegistry: Sequence "Library Load" validation passed',
    expected: { kind: 'noise', component: 'SequenceRegistry' },
  },
  {
    source: 'node-1.4.5',
    message: '🎼 Sequence registered: Demo Load',
    expected: { kind: 'sequence-registered', sequenceName: 'Demo Load' },
  },
  {
    source: 'node-1.4.5',
    message: '🎼 EventSubscriptionManager: SequenceRegistry emitting sequence-registered',
    expected: { kind: 'noise', component: 'EventSubscriptionManager' },
  },
  {
    source: 'production-index',
    message: '✅ Mounted sequence from catalog: control-panel-ui-init-batched-symphony plugin: ControlPanelPlugin',
    expected: {
      kind: 'sequence-registered',
      sequenceId: 'control-panel-ui-init-batched-symphony',
      pluginId: 'ControlPanelPlugin',
    },
  },
  {
    source: 'sample-telemetry',
    message: '🎼 PluginManager: rehydrated 2 callback(s) for event library:components:load',
    expected: { kind: 'noise', component: 'PluginManager' },
  },
];

/** Shapes printed by the source that no captured log holds yet (docs/log-formats.md §3.6, §5, §7). */
const SOURCE_ONLY_ROWS: readonly Omit<MatchRow, 'source'>[] = [
  {
    message: '🧠 Plugin already mounted: LibraryPlugin — augmenting with additional sequence',
    expected: { kind: 'plugin-mount-augment', pluginId: 'LibraryPlugin' },
  },
  {
    message: '🧠 Plugin not found: BrokenPlugin. Available plugins: [DemoPlugin]',
    expected: { kind: 'plugin-not-found', pluginId: 'BrokenPlugin', available: '[DemoPlugin]' },
  },
  {
    message: '🧩 PluginManager: Plugin registered: LibraryPlugin v1.0.0',
    expected: { kind: 'plugin-mount-success', pluginId: 'LibraryPlugin' },
  },
];

const MISSES: readonly MissRow[] = [
  {
    message: 'Plugin LibraryComponentPlugin has incomplete UI configuration',
    why: 'real .NET host warning about a plugin, not a mount line',
  },
  {
    message: 'Plugin manifest validation completed successfully',
    why: 'real .NET host line: manifest validation',
  },
  {
    message: '🧠 PluginManager: Handler execution failed for DemoPlugin.explode: Error: boom in handler',
    why: 'handler errors belong to host-rules',
  },
  { message: '🎼 Sequence: Demo Load', why: 'EventLogger group child' },
];

describe('plugin mount and registration rules', () => {
  it.each(ROWS)('$message', ({ source, message, expected }) => {
    expect(sourceText(source)).toContain(message);
    const event = matchFamily(mountRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(SOURCE_ONLY_ROWS)('source-only shape: $message', ({ message, expected }) => {
    const event = matchFamily(mountRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(MISSES)('leaves alone: $message ($why)', ({ message }) => {
    expect(matchFamily(mountRules, message)).toBeUndefined();
  });
});
