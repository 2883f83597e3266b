/**
 * Plugin mount, sequence registration and host catalog lines (docs/log-formats.md §3.6, §5 plugins).
 */
import { noise, type Rule, rule } from './rule.js';

export const mountRules: readonly Rule[] = [
  rule('PluginManager', /^PluginManager: Attempting to mount plugin: (\S+)$/, (m) => ({
    kind: 'plugin-mount-attempt',
    pluginId: m[1]!,
  })),
  rule('Plugin', /^Plugin already mounted: (\S+)/, (m) => ({ kind: 'plugin-mount-augment', pluginId: m[1]! })),
  rule('Plugin', /^Plugin mounted successfully: (\S+)$/, (m) => ({ kind: 'plugin-mount-success', pluginId: m[1]! })),
  rule('Plugin', /^Plugin not found: (\S+?)\.? Available plugins: (.*)$/, (m) => ({
    kind: 'plugin-not-found',
    pluginId: m[1]!,
    available: m[2],
  })),
  rule('Failed', /^Failed to (?:auto-)?mount plugin (\S+?):\s*(.*)$/, (m) => ({
    kind: 'plugin-mount-failure',
    pluginId: m[1]!,
    error: m[2] || undefined,
  })),
  rule('SequenceRegistry', /^SequenceRegistry: Registered sequence "(.+)" \(id: (\S+)\)$/, (m) => ({
    kind: 'sequence-registered',
    sequenceName: m[1]!,
    sequenceId: m[2]!,
    via: 'registry',
  })),
  noise('SequenceRegistry', /^SequenceRegistry: Sequence ".+" validation passed$/),
  rule('Sequence', /^Sequence registered: (.+)$/, (m) => ({
    kind: 'sequence-registered',
    sequenceName: m[1]!,
    via: 'plugin-manager',
  })),
  noise('EventSubscriptionManager', /^EventSubscriptionManager: /),
  rule('Mounted', /^Mounted sequence from catalog: (\S+) plugin: (\S+)$/, (m) => ({
    kind: 'sequence-registered',
    sequenceId: m[1]!,
    pluginId: m[2]!,
    via: 'catalog',
  })),
  rule('Failed', /^(Failed to mount sequence from catalog: .*)$/, (m) => ({
    kind: 'warning',
    component: 'runtime-loaders',
    text: m[1]!,
  })),
  // .NET MusicalConductor.Core PluginManager (§5).
  rule('PluginManager', /^PluginManager: Plugin registered: (\S+) v\S+$/, (m) => ({
    kind: 'plugin-mount-success',
    pluginId: m[1]!,
  })),
  rule('PluginManager', /^PluginManager: Error initializing plugin: (\S+) \(Reason=(.*)\)$/, (m) => ({
    kind: 'plugin-mount-failure',
    pluginId: m[1]!,
    error: m[2]!,
  })),
  noise(
    'PluginManager',
    /^PluginManager: (?:Plugin lifecycle started|Plugin already registered|rehydrated \d+ callback)/,
  ),
  rule('PluginManager', /^PluginManager: (conductor\.play unavailable in handler context.*)$/, (m) => ({
    kind: 'warning',
    component: 'PluginManager',
    text: m[1]!,
  })),
  noise(
    ['Processing', 'Auto-mounting', 'Auto-mounted', 'Skipping', 'Registering', 'CIA-compliant'],
    /^(?:Processing \d+ plugins from manifest|Auto-mount(?:ing|ed) plugin: |Skipping non-auto-mount plugin: |Registering CIA-compliant plugins|CIA-compliant plugins registered)/,
    'PluginManager',
  ),
  noise('Registered', /^Registered plugin runtime: \S+$/, 'host-sdk'),
  noise('Using', /^Using runtimePackageLoader for /, 'host-sdk'),
];
