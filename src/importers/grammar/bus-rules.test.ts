import { describe, expect, it } from 'vitest';
import { busRules } from './bus-rules.js';
import { classifyMessage } from './classify.js';
import { type MatchRow, type MissRow, matchFamily, sourceText } from './rule-table-fixtures.js';

/** Real lines of the captured consoles (envelope removed) → the event the rule yields. */
const ROWS: readonly MatchRow[] = [
  {
    source: 'node-1.4.5',
    message: '📡 EventBus: Subscribed to "demo:load" (1 total subscribers) (plugin: DemoPlugin:demo-load-symphony)',
    expected: {
      kind: 'subscribed',
      event: 'demo:load',
      subscribers: 1,
      pluginId: 'DemoPlugin',
      sequenceId: 'demo-load-symphony',
      cleanup: false,
      host: false,
    },
  },
  {
    source: 'production-index',
    message:
      '📡 EventBus: Subscribed to "control:panel:update:notify" (1 total subscribers) (plugin: ControlPanelPlugin:control-panel-update-symphony)',
    expected: {
      kind: 'subscribed',
      event: 'control:panel:update:notify',
      pluginId: 'ControlPanelPlugin',
      sequenceId: 'control-panel-update-symphony',
    },
  },
  {
    source: 'node-1.4.5',
    message:
      '📡 EventBus: Subscribed to "DemoPlugin:sequence:completed" (1 total subscribers) (plugin: DemoPlugin:demo-load-symphony:cleanup)',
    expected: {
      kind: 'subscribed',
      event: 'DemoPlugin:sequence:completed',
      pluginId: 'DemoPlugin',
      sequenceId: 'demo-load-symphony',
      cleanup: true,
    },
  },
  {
    source: 'sample-telemetry',
    message: '📡 EventBus: Subscribed to "sequence-completed" (1 total subscribers)',
    expected: { kind: 'subscribed', event: 'sequence-completed', subscribers: 1, pluginId: undefined, cleanup: false },
  },
  {
    source: 'doc-excerpts',
    message: '📡 EventBus: Subscribed to "musical-conductor:beat:started"',
    expected: { kind: 'subscribed', event: 'musical-conductor:beat:started', subscribers: undefined },
  },
  {
    // The .NET console lost the emoji: `??`.
    source: 'dotnet',
    message: '?? EventBus: Subscribed to "beat-started" (1 total subscribers)',
    expected: { kind: 'subscribed', event: 'beat-started', subscribers: 1 },
  },
  {
    source: 'node-1.4.5',
    message: '🎼 EventBus: Using internal conductor (legacy mode)',
    expected: { kind: 'session-start', marker: 'EventBus: conductor attached' },
  },
  {
    source: 'dotnet',
    message: '?? EventBus: Connected to main conductor with 0 sequences',
    expected: { kind: 'noise', component: 'EventBus' },
  },
  {
    source: 'dotnet',
    message: '?? EventBus not found on MusicalConductor instance, cannot subscribe ConductorLogger',
    expected: {
      kind: 'warning',
      component: 'EventBus',
      text: 'EventBus not found on MusicalConductor instance, cannot subscribe ConductorLogger',
    },
  },
  {
    source: 'dotnet',
    message: '? Subscribed to topic: canvas.component.created',
    expected: { kind: 'subscribed', event: 'canvas.component.created', cleanup: false, host: true },
  },
  {
    source: 'dotnet',
    message: '? Published to topic: library.load.requested',
    expected: { kind: 'published', event: 'library.load.requested', source: 'host' },
  },
  {
    source: 'production-index',
    message:
      "[EventRouter] Topic 'library.component.drag.start.requested' definition: {routes: 1, hasThrottle: false, hasDebounce: false}",
    expected: { kind: 'noise', component: 'EventRouter' },
  },
  {
    source: 'production-index',
    message: '[EventRouter.publish] CP1 ENTRY at 2025-11-15T22:09:43.382Z',
    expected: { kind: 'noise', component: 'EventRouter' },
  },
];

/** Shapes printed by the source that no captured log holds yet (docs/log-formats.md §3.5, §5). */
const SOURCE_ONLY_ROWS: readonly Omit<MatchRow, 'source'>[] = [
  {
    message: "[EventRouter] Starting delivery for 'library.load.requested' with 1 routes",
    expected: { kind: 'published', event: 'library.load.requested', source: 'event-router' },
  },
  {
    message: '📡 EventBus: Unsubscribed from "library:components:load" (0 remaining subscribers)',
    expected: { kind: 'unsubscribed', event: 'library:components:load', subscribers: 0 },
  },
  {
    message: '📡 EventBus: Subscribed to event: library:components:load (Total subscribers: 2)',
    expected: { kind: 'subscribed', event: 'library:components:load', subscribers: 2 },
  },
];

const MISSES: readonly MissRow[] = [
  { message: '?? EventRouterService initialized', why: 'real .NET line: the host service, not the router' },
  { message: '?? Subscribed to topic:', why: 'no topic name' },
  {
    message: '📡 EventBus: Subscribed to library:components:load',
    why: 'web shape without the quotes around the event',
  },
  { message: '🕐 [EVENTBUS] emitAsync CALLED for "x"', why: 'emit traces belong to beat-rules' },
];

describe('EventBus and topic rules', () => {
  it.each(ROWS)('$message', ({ source, message, expected }) => {
    expect(sourceText(source)).toContain(message);
    const event = matchFamily(busRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(SOURCE_ONLY_ROWS)('source-only shape: $message', ({ message, expected }) => {
    const event = matchFamily(busRules, message);
    expect(event).toMatchObject(expected);
    expect(classifyMessage(message)).toEqual(event);
  });

  it.each(MISSES)('leaves alone: $message ($why)', ({ message }) => {
    expect(matchFamily(busRules, message)).toBeUndefined();
  });
});
