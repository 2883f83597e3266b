/**
 * The play payload of a captured run, as far as the log supports it. musical-conductor hands handlers the play
 * payload as event `data` and starts each request's DataBaton empty, so the payload itself is never logged: the
 * only trace of an input value is a DataBaton preview that carries a key of the same name (`+cssEvent` →
 * `{"cssEvent":{"className":"card"}}` gives `className`). Each such key becomes a candidate with its source; a
 * replay serves a candidate only to a handler that reads that key and finds it missing, and every key read with
 * no candidate is reported unknown (never invented).
 */
import { completeEntries, parsePreview } from '../model/preview-json.js';
import type { InputCandidate } from './replay-plan.js';
import type { RunShape } from './run-shape.js';

/**
 * Every key name whose complete values in the run's previews all agree, with its first place; a key shown with
 * different values (`position` of a style and of a drop) is ambiguous and stays unknown.
 */
export function inputCandidates(capture: RunShape): { candidates: InputCandidate[]; ambiguous: Set<string> } {
  const out = new Map<string, InputCandidate>();
  const ambiguous = new Set<string>();
  for (const diff of capture.batonDiffs) {
    if (diff.preview === null) continue;
    const parsed = parsePreview(diff.preview);
    if (!parsed) continue;
    for (const [key, value] of completeEntries(parsed)) {
      const first = out.get(key);
      if (first) {
        if (JSON.stringify(first.value) !== JSON.stringify(value)) ambiguous.add(key);
        continue;
      }
      out.set(key, { key, value, source: `preview of ${diff.handler ?? '?'} (${diff.event}), line ${diff.line}` });
    }
  }
  return { candidates: [...out.values()].filter((c) => !ambiguous.has(c.key)), ambiguous };
}
