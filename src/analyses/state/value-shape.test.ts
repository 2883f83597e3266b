import { describe, expect, it } from 'vitest';
import { previewShapes } from './value-shape.js';

describe('value shapes from DataBaton previews', () => {
  it('describes each complete top-level value, and what the 200-character cut left of the last one', () => {
    // Real preview from a RenderX console (docs/log-formats.md §3.4), cut inside the second key's name.
    expect([...previewShapes('{"currentTheme":"dark","theme…')]).toEqual([['currentTheme', 'string']]);
    expect([
      ...previewShapes(
        '{"selection":null,"box":{"y":2,"x":1},"ids":["a","b"],"n":3,"ok":true,"cfg":{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}}',
      ),
    ]).toEqual([
      ['selection', 'null'],
      ['box', '{x,y}'],
      ['ids', 'array'],
      ['n', 'number'],
      ['ok', 'boolean'],
      ['cfg', '{a,b,c,d,e,f,…}'],
    ]);
    expect([...previewShapes('{"view":{"sections":["layout","cont')]).toEqual([['view', '{sections} (cut)']]);
    // A number at the cut may have had more digits: nothing is known of it.
    expect([...previewShapes('{"count":12')]).toEqual([['count', 'cut']]);
  });

  it('gives nothing for a missing or non-object preview', () => {
    expect(previewShapes(null).size).toBe(0);
    expect(previewShapes('no json here').size).toBe(0);
    expect(previewShapes('[1,2]').size).toBe(0);
  });
});
