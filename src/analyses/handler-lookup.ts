/**
 * Shared joins of handler runs with the rest of the trace and with the code index. A handler is identified by
 * name + plugin: several plugins define handlers of the same name (`notifyUi`).
 */
import type { CodeIndex, HandlerDefinition } from '../model/code-index.js';
import type { DurationSource } from '../model/entities.js';
import { HandlerTable } from './trace-index.js';

export const durationSources: readonly DurationSource[] = [
  'performance-tracker',
  'beat-executor',
  'eventbus-trace',
  'timestamps',
  'none',
];

/** How many durations came from each source. */
export type DurationSourceCounts = Record<DurationSource, number>;

export function emptySourceCounts(): Record<DurationSource, number> {
  return { 'performance-tracker': 0, 'beat-executor': 0, 'eventbus-trace': 0, timestamps: 0, none: 0 };
}

export function handlerKey(handler: string, pluginId: string | null): string {
  return `${pluginId ?? ''}\u0000${handler}`;
}

/**
 * Items grouped by `handlerKey(handler, pluginId)`, in first-seen order. Handlers are interned (trace-index.ts
 * `HandlerTable`): one key string per handler, not one per item (a million handler runs made a million keys to hash).
 */
export function groupByHandler<T extends { readonly handler: string; readonly pluginId: string | null }>(
  items: readonly T[],
): Map<string, T[]> {
  const handlers = new HandlerTable();
  const lists: T[][] = [];
  for (const item of items) {
    const id = handlers.intern(item.pluginId, item.handler);
    // Interned ids count up from 0 in first-seen order: a new handler's is the next list.
    if (id === lists.length) lists.push([item]);
    else lists[id]!.push(item);
  }
  return new Map(lists.map((list, id) => [handlerKey(handlers.names[id]!, handlers.plugins[id]!), list]));
}

/** Finds handler definitions by name + plugin; a run without a plugin matches a name defined exactly once. */
export class HandlerDefinitions {
  private readonly byKey = new Map<string, HandlerDefinition>();
  private readonly byName = new Map<string, HandlerDefinition[]>();

  constructor(code: CodeIndex | undefined) {
    for (const def of code?.handlers ?? []) {
      const key = handlerKey(def.handler, def.pluginId);
      if (!this.byKey.has(key)) this.byKey.set(key, def);
      this.byName.set(def.handler, [...(this.byName.get(def.handler) ?? []), def]);
    }
  }

  find(handler: string, pluginId: string | null): HandlerDefinition | undefined {
    const exact = this.byKey.get(handlerKey(handler, pluginId));
    if (exact) return exact;
    const named = this.byName.get(handler) ?? [];
    if (pluginId === null && named.length === 1) return named[0];
    // A definition the indexer could not attribute to a plugin still names this handler.
    const unowned = named.filter((d) => d.pluginId === null);
    return unowned.length === 1 ? unowned[0] : undefined;
  }

  all(): HandlerDefinition[] {
    return [...this.byKey.values()];
  }
}
