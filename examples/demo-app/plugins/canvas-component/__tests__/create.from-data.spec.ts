import { describe, expect, it } from 'vitest';
import { notifyUi } from '../src/symphonies/create/create.notify.js';
import { createNode } from '../src/symphonies/create/create.stage-crew.js';

describe('canvas component create from data', () => {
  it('createNode - builds a positioned node from the template', () => {
    const ctx = { payload: { tag: 'div', style: { display: 'flex' }, nodeId: 'rx-9' } as Record<string, unknown> };
    createNode({ componentId: 'lib-container', position: { x: 40, y: 80 } }, ctx);
    expect(ctx.payload['node']).toMatchObject({ tag: 'div', id: 'rx-9', style: { left: '40px', top: '80px' } });
  });

  it('notifyUi - publishes the created instance id', () => {
    const ctx = { payload: { nodeId: 'rx-9', template: {} } as Record<string, unknown> };
    notifyUi({}, ctx);
    expect(ctx.payload['notification']).toEqual({ topic: 'canvas.component.created', id: 'rx-9' });
    expect(ctx.payload).not.toHaveProperty('template');
  });
});
