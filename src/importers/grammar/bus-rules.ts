/**
 * EventBus subscriptions and publishes, host topic routing (docs/log-formats.md §3.5, §5 host EventRouter).
 */
import type { TelemetryEvent } from '../../model/index.js';
import { noise, num, type Rule, rule } from './rule.js';

/** `(plugin: <pluginId>:<seqId>[:cleanup])` context of a subscription (PluginManager.ts ~l.390, 418). */
function subscription(event: string, count: string | undefined, context: string | undefined): TelemetryEvent {
  let pluginId: string | undefined;
  let sequenceId: string | undefined;
  let cleanup = false;
  if (context !== undefined) {
    const parts = context.split(':');
    if (parts[parts.length - 1] === 'cleanup') {
      cleanup = true;
      parts.pop();
    }
    pluginId = parts[0] || undefined;
    sequenceId = parts.slice(1).join(':') || undefined;
  }
  return {
    kind: 'subscribed',
    event,
    subscribers: count === undefined ? undefined : num(count),
    pluginId,
    sequenceId,
    cleanup,
    host: false,
  };
}

export const busRules: readonly Rule[] = [
  rule('EventBus', /^EventBus: Subscribed to "(.+?)"(?: \((\d+) total subscribers\))?(?: \(plugin: (.+)\))?$/, (m) =>
    subscription(m[1]!, m[2], m[3]),
  ),
  // .NET native EventBus (§5), Debug level.
  rule('EventBus', /^EventBus: Subscribed to event: (\S+) \(Total subscribers: (\d+)\)$/, (m) =>
    subscription(m[1]!, m[2], undefined),
  ),
  rule('EventBus', /^EventBus: Unsubscribed from "(.+?)"(?: \((\d+) remaining subscribers\))?/, (m) => ({
    kind: 'unsubscribed',
    event: m[1]!,
    subscribers: m[2] === undefined ? undefined : num(m[2]),
  })),
  rule('EventBus', /^EventBus: Using (?:internal|external) conductor/, () => ({
    kind: 'session-start',
    marker: 'EventBus: conductor attached',
  })),
  noise('EventBus', /^EventBus: Connect(?:ing|ed) to main conductor/),
  rule(
    'EventBus',
    /^EventBus: ((?:Duplicate subscription blocked|Error in subscriber|Async error in subscriber).*)$/,
    (m) => ({
      kind: m[1]!.startsWith('Duplicate') ? 'warning' : 'error',
      component: 'EventBus',
      text: m[1]!,
    }),
  ),
  rule('EventBus', /^(EventBus not found on MusicalConductor instance.*)$/, (m) => ({
    kind: 'warning',
    component: 'EventBus',
    text: m[1]!,
  })),
  rule('Subscribed', /^Subscribed to topic: (\S+)$/, (m) => ({
    kind: 'subscribed',
    event: m[1]!,
    cleanup: false,
    host: true,
  })),
  rule('Published', /^Published to topic: (\S+)$/, (m) => ({ kind: 'published', event: m[1]!, source: 'host' })),
  rule('[EventRouter]', /^\[EventRouter\] Starting delivery for '(.+)' with \d+ routes?$/, (m) => ({
    kind: 'published',
    event: m[1]!,
    source: 'event-router',
  })),
  rule('[EventRouter]', /^\[EventRouter\] (No topic definition found for '.+')/, (m) => ({
    kind: 'warning',
    component: 'EventRouter',
    text: m[1]!,
  })),
  noise(['[EventRouter]', '[EventRouter'], /^\[EventRouter(?:\.publish)?\] /, 'EventRouter'),
];
