/**
 * The shape of a DataBaton value as a DataBaton preview shows it (docs/log-formats.md §3.4: JSON of at most three
 * changed keys, cut at 200 characters): `string`, `number`, `boolean`, `null`, `array`, or `{a,b,c}` with the
 * object's keys in code-point order (at most 6, then `…`). A value the cut went through gets ` (cut)`: only
 * what was complete is described. Shapes let a reader see that `selection` is sometimes `null`, sometimes an object.
 */
import { entriesOf, type PartialValue, parsePreview } from '../../model/preview-json.js';
import { compareStrings } from '../collections.js';

const MAX_KEYS = 6;

export function shapeOf(v: PartialValue): string {
  const cut = v.complete ? '' : ' (cut)';
  const value = v.value;
  if (value === undefined) return 'cut';
  if (value === null) return `null${cut}`;
  if (Array.isArray(value)) return `array${cut}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort(compareStrings);
    const shown = keys.slice(0, MAX_KEYS).join(',') + (keys.length > MAX_KEYS ? ',…' : '');
    return `{${shown}}${cut}`;
  }
  return `${typeof value}${cut}`;
}

/** Shapes of the top-level keys a preview shows; empty when it is no object preview. */
export function previewShapes(preview: string | null): ReadonlyMap<string, string> {
  const parsed = preview === null ? undefined : parsePreview(preview);
  const entries = parsed === undefined ? undefined : entriesOf(parsed);
  const out = new Map<string, string>();
  for (const [key, v] of entries ?? []) out.set(key, shapeOf(v));
  return out;
}
