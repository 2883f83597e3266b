import { beforeEach, describe, expect, it } from 'vitest';
import { handlers } from '../src/index.js';
import { instanceRegistry } from '../src/store/instance-registry.js';
import { handlers as createHandlers } from '../src/symphonies/create/create.stage-crew.js';

const box = { componentId: 'lib-button', tag: 'button', width: 100, height: 40, z: 0 };

describe('CanvasComponentPlugin handlers', () => {
  beforeEach(() => instanceRegistry.clear());

  it('[AC:demo-canvas-orchestration:canvas-component-create-symphony:1.1:1] resolveTemplate - populates template, tag and default style', () => {
    const ctx = { payload: {} as Record<string, unknown> };
    createHandlers.resolveTemplate({ componentId: 'lib-heading' }, ctx);
    expect(ctx.payload['tag']).toBe('h2');
    expect(ctx.payload['style']).toMatchObject({ position: 'absolute', fontSize: '28px' });
  });

  it('registerInstance - records the instance in the registry', () => {
    const ctx = { payload: { template: { tag: 'img', width: 200, height: 150 } } as Record<string, unknown> };
    createHandlers.registerInstance({ componentId: 'lib-image', nodeId: 'rx-1', position: { x: 5, y: 6 } }, ctx);
    expect(instanceRegistry.get('rx-1')).toMatchObject({ tag: 'img', x: 5, y: 6 });
    expect(ctx.payload['registered']).toBe(true);
  });

  it('routeSelectionRequest - resolves the selected instance', () => {
    instanceRegistry.set({ id: 'rx-2', x: 0, y: 0, ...box });
    const ctx = { payload: {} as Record<string, unknown> };
    handlers.routeSelectionRequest({ nodeId: 'rx-2' }, ctx);
    expect(ctx.payload['selectedId']).toBe('rx-2');
  });

  it('showSelectionOverlay - computes overlay bounds with handles', () => {
    const ctx = { payload: { selected: { x: 0, y: 0, width: 100, height: 40 } } as Record<string, unknown> };
    handlers.showSelectionOverlay({}, ctx);
    expect((ctx.payload['overlay'] as { handles: unknown[] }).handles).toHaveLength(8);
  });

  it('updatePosition - snaps the position to the grid', () => {
    const ctx = { payload: {} as Record<string, unknown> };
    handlers.updatePosition(
      {
        path: [
          { x: 3, y: 3 },
          { x: 21, y: 42 },
        ],
      },
      ctx,
    );
    expect(ctx.payload['position']).toEqual({ x: 24, y: 40 });
  });

  it('commitPosition - stores the final position and clears the drag state', () => {
    instanceRegistry.set({ id: 'rx-3', x: 0, y: 0, ...box });
    const ctx = { payload: { dragState: { id: 'rx-3' }, position: { x: 64, y: 32 } } as Record<string, unknown> };
    handlers.commitPosition({ nodeId: 'rx-3' }, ctx);
    expect(instanceRegistry.get('rx-3')).toMatchObject({ x: 64, y: 32 });
    expect(ctx.payload).not.toHaveProperty('dragState');
  });

  it('applyLayout - writes relaxed positions back to the registry', () => {
    instanceRegistry.set({ id: 'rx-4', x: 0, y: 0, ...box });
    const ctx = {
      payload: { relaxed: [{ id: 'rx-4', x: 10.6, y: 20.2, width: 100, height: 40 }] } as Record<string, unknown>,
    };
    handlers.applyLayout({}, ctx);
    expect(instanceRegistry.get('rx-4')).toMatchObject({ x: 11, y: 20 });
    expect(ctx.payload['applied']).toBe(1);
  });

  it('resolveDeletion - throws on an unknown instance id', () => {
    expect(() => handlers.resolveDeletion({ nodeId: 'rx-404' }, { payload: {} })).toThrow(
      'Component not found: rx-404',
    );
  });

  it('removeComponent - drops the pending deletion and records the id', () => {
    instanceRegistry.set({ id: 'rx-5', x: 0, y: 0, ...box });
    const ctx = { payload: { pendingDeletion: 'rx-5' } as Record<string, unknown> };
    handlers.removeComponent({}, ctx);
    expect(instanceRegistry.has('rx-5')).toBe(false);
    expect(ctx.payload).toEqual({ deletedId: 'rx-5' });
  });
});
