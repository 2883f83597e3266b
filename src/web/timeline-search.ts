/**
 * Beat search for the timeline page: a case-insensitive substring of the handler, event, title or sequence
 * name, or `handler:<name>` (also `handler:<plugin>.<name>`) for one handler exactly (the heatmap's links).
 */
import type { Model } from './timeline-model.js';

export interface SearchResult {
  /** 1 for beats that match, by beat index. */
  readonly mask: Uint8Array;
  /** Matching beat indexes in start order. */
  readonly list: number[];
}

export function searchBeats(m: Model, query: string): SearchResult | null {
  const q = query.trim();
  if (q === '') return null;
  const d = m.data;
  const exact = q.toLowerCase().startsWith('handler:') ? q.slice('handler:'.length).trim() : null;
  const needle = q.toLowerCase();
  const stringHit = new Uint8Array(m.s.length);
  if (exact === null)
    m.s.forEach((s, i) => {
      if (s.toLowerCase().includes(needle)) stringHit[i] = 1;
    });
  const handlerHit = d.handlers.name.map((name, h) => {
    const full = `${m.s[d.handlers.plugin[h]!] ?? ''}.${m.s[name] ?? ''}`;
    return exact === null
      ? stringHit[name] === 1 || full.toLowerCase().includes(needle)
      : m.s[name] === exact || full === exact;
  });
  const setHit = d.handlerSets.map((set) => set.some((h) => handlerHit[h]));
  const n = d.beats.handlerSet.length;
  const mask = new Uint8Array(n);
  const list: number[] = [];
  for (let i = 0; i < n; i++) {
    let hit = setHit[d.beats.handlerSet[i]!] === true;
    if (!hit && exact === null) {
      const run = d.beats.run[i]!;
      hit =
        stringHit[d.beats.event[i]!] === 1 ||
        stringHit[d.beats.title[i]!] === 1 ||
        (run >= 0 && stringHit[d.runs.name[run]!] === 1);
    }
    if (hit) {
      mask[i] = 1;
      list.push(i);
    }
  }
  return { mask, list };
}
