/**
 * Who reads which DataBaton key, from the code index's static reads of handler source (`HandlerDefinition.payload`,
 * src/codebase/payload-access.ts). The state report lists them as readers; the graph draws writer → reader edges.
 */
import type { CodeIndex } from '../model/index.js';
import { compareStrings } from './collections.js';

export interface PayloadReader {
  readonly plugin: string | null;
  readonly handler: string;
  readonly file: string;
  /** 1-based line of the first read of the key in the handler's function. */
  readonly line: number;
}

/** A handler whose reads cannot all be named: a computed key or the whole payload passed on. */
export interface UnknownRead extends PayloadReader {
  readonly reason: string;
}

export interface PayloadReaders {
  /**
   * False when there is no code index, or it was stored before beatscope read handler source for keys: then
   * nothing is known about readers and no key may be called unread.
   */
  readonly indexed: boolean;
  /** Key → readers, each (plugin, handler) once, by plugin then handler. */
  readonly byKey: ReadonlyMap<string, readonly PayloadReader[]>;
  readonly unknown: readonly UnknownRead[];
}

export function payloadReaders(code: CodeIndex | undefined): PayloadReaders {
  const handlers = code?.handlers ?? [];
  // Older stored indexes lack the field entirely (undefined); a handler that touches no key has null.
  const indexed = handlers.some((h) => h.payload !== undefined);
  const byKey = new Map<string, PayloadReader[]>();
  const unknown: UnknownRead[] = [];
  for (const h of handlers) {
    if (!h.payload || !h.location) continue;
    const { file } = h.location;
    const seen = new Set<string>();
    for (const r of h.payload.reads) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      const list = byKey.get(r.key) ?? [];
      if (!list.some((x) => x.plugin === h.pluginId && x.handler === h.handler))
        list.push({ plugin: h.pluginId, handler: h.handler, file, line: r.line });
      byKey.set(r.key, list);
    }
    const first = h.payload.dynamic[0];
    if (first) unknown.push({ plugin: h.pluginId, handler: h.handler, file, line: first.line, reason: first.reason });
  }
  const order = (a: PayloadReader, b: PayloadReader) =>
    compareStrings(a.plugin ?? '', b.plugin ?? '') || compareStrings(a.handler, b.handler);
  for (const list of byKey.values()) list.sort(order);
  unknown.sort(order);
  return { indexed, byKey, unknown };
}
