import { describe, expect, it } from 'vitest';
import { completeEntries, parsePreview } from './preview-json.js';

describe('parsePreview', () => {
  it('reads a whole preview as JSON', () => {
    const p = parsePreview('{"selectionEvent":{"topic":"canvas.component.selection.changed","id":"rx-1-1"}}')!;
    expect(p.complete).toBe(true);
    expect(p.value).toEqual({ selectionEvent: { topic: 'canvas.component.selection.changed', id: 'rx-1-1' } });
  });

  it('keeps what was complete before the 200-character cut and flags the cut value', () => {
    // A real preview of the demo app, cut by the conductor inside "height".
    const text =
      '{"selectedId":"rx-1-1","selected":{"id":"rx-1-1","componentId":"lib-image","tag":"img","x":103,"y":207,"width":200,"height":15';
    const p = parsePreview(text)!;
    expect(p.complete).toBe(false);
    const found = [...completeEntries(p)];
    expect(found).toEqual([
      ['selectedId', 'rx-1-1'],
      ['id', 'rx-1-1'],
      ['componentId', 'lib-image'],
      ['tag', 'img'],
      ['x', 103],
      ['y', 207],
      ['width', 200],
    ]);
  });

  it('does not take a cut string or a cut array for a value', () => {
    const p = parsePreview('{"a":[1,2],"b":[3,4')!;
    expect([...completeEntries(p)]).toEqual([['a', [1, 2]]]);
    expect([...completeEntries(parsePreview('{"name":"car')!)]).toEqual([]);
  });

  it('refuses what is not an object preview', () => {
    expect(parsePreview('')).toBeUndefined();
    expect(parsePreview('{"a" 1}')).toBeUndefined();
  });
});
