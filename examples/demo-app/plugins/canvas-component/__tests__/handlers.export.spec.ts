import { beforeEach, describe, expect, it } from 'vitest';
import { instanceRegistry } from '../src/store/instance-registry.js';
import {
  buildManifest,
  buildSvg,
  collectComponents,
  serializeComponents,
} from '../src/symphonies/export/export.stage-crew.js';

describe('canvas export handlers', () => {
  beforeEach(() => {
    instanceRegistry.clear();
    instanceRegistry.set({
      id: 'rx-b',
      componentId: 'lib-image',
      tag: 'img',
      x: 10,
      y: 10,
      width: 50,
      height: 50,
      z: 1,
    });
    instanceRegistry.set({
      id: 'rx-a',
      componentId: 'lib-button',
      tag: 'button',
      x: 0,
      y: 0,
      width: 20,
      height: 10,
      z: 0,
    });
  });

  it('collectComponents - lists registered instances in z-order', () => {
    const ctx = { payload: {} as Record<string, unknown> };
    collectComponents({}, ctx);
    expect((ctx.payload['components'] as Array<{ id: string }>).map((c) => c.id)).toEqual(['rx-a', 'rx-b']);
  });

  it('serializeComponents - produces one record per component', () => {
    const ctx = { payload: { components: instanceRegistry.all() } as Record<string, unknown> };
    serializeComponents({}, ctx);
    expect(ctx.payload['records']).toHaveLength(2);
  });

  it('buildSvg - renders one rect per component', () => {
    const ctx = { payload: { components: instanceRegistry.all() } as Record<string, unknown> };
    buildSvg({}, ctx);
    expect(String(ctx.payload['svg']).match(/<rect /g)).toHaveLength(2);
  });

  it('buildManifest - summarises the export', () => {
    const ctx = { payload: { records: [{}, {}, {}] } as Record<string, unknown> };
    buildManifest({ fileName: 'home.svg' }, ctx);
    expect(ctx.payload['manifest']).toEqual({ file: 'home.svg', components: 3, format: 'svg+json' });
  });
});
