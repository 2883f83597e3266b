import { describe, expect, it } from 'vitest';
import { handlers } from '../src/index.js';

describe('LibraryComponentPlugin drop', () => {
  it('publishCreateRequested - plays the canvas create symphony with the dropped component', () => {
    const plays: unknown[][] = [];
    const ctx = {
      payload: {} as Record<string, unknown>,
      conductor: { play: (...args: unknown[]) => plays.push(args) },
    };
    handlers.publishCreateRequested({ componentId: 'lib-image', nodeId: 'rx-7', x: 10.4, y: 20.6 }, ctx);
    expect(plays).toEqual([
      [
        'CanvasComponentPlugin',
        'canvas-component-create-symphony',
        { componentId: 'lib-image', nodeId: 'rx-7', position: { x: 10, y: 21 } },
      ],
    ]);
  });
});
